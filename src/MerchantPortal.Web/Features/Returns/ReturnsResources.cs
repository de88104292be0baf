using MerchantPortal.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Returns;

public sealed class ReturnsResources
{
    /// <summary>A refusal in the user's language ("Error.{Code}" with its arguments), else the service's English text.</summary>
    public static string Describe(IStringLocalizer<ReturnsResources> l, FieldProblem problem)
    {
        var text = l["Error." + problem.Code];
        // A status argument is an enum name (the API's English): it is worded too.
        var args = problem.Args.Select(a => a is ReturnStatus status ? l["Status." + status].Value : a).ToArray();
        return text.ResourceNotFound ? problem.Message : string.Format(System.Globalization.CultureInfo.CurrentCulture, text.Value, args);
    }

    public static MudBlazor.Color StatusColor(ReturnStatus s) => s switch
    {
        ReturnStatus.Requested => MudBlazor.Color.Warning,
        ReturnStatus.Approved or ReturnStatus.PickupBooked => MudBlazor.Color.Info,
        ReturnStatus.PickedUp or ReturnStatus.InTransit or ReturnStatus.Received => MudBlazor.Color.Primary,
        ReturnStatus.Refunded => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Default,
    };
}
