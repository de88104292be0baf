using MerchantPortal.Web.Features.Orders;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>Translations shared by the waybill pages.</summary>
public static class WaybillText
{
    /// <summary>The translated reason, then the carrier's words or the existing waybill's number when there are any.</summary>
    public static string Reason(IStringLocalizer<WaybillsResources> l, string? code, string? detail)
    {
        if (code is null)
        {
            return "";
        }
        var shown = code switch
        {
            // The order's status is stored by its enum name (the API's English): word it.
            WaybillReasons.NotApproved when Enum.TryParse<OrderStatus>(detail, out var status) && Enum.IsDefined(status) => l["OrderStatus." + status].Value,
            // The gateway's description of a transport failure (or "conflict") is English; the reason alone says what to do.
            WaybillReasons.CarrierUnavailable => null,
            _ => detail,
        };
        return shown is null ? l["Reason." + code] : l["Reason.WithDetail", l["Reason." + code], shown];
    }

    public static string VoidMessage(IStringLocalizer<WaybillsResources> l, VoidResult result) =>
        // Only a refusal quotes its text (the carrier's own words); a transport failure's text is the gateway's English.
        result.Reason is null || result.Outcome != VoidOutcome.Refused ? l["Void." + result.Outcome] : l["Reason.WithDetail", l["Void." + result.Outcome], result.Reason];

    public static MudBlazor.Color StatusColor(WaybillBatchStatus status) => status switch
    {
        WaybillBatchStatus.Completed => MudBlazor.Color.Success,
        WaybillBatchStatus.CompletedWithErrors => MudBlazor.Color.Warning,
        WaybillBatchStatus.Cancelled => MudBlazor.Color.Error,
        WaybillBatchStatus.Paused => MudBlazor.Color.Secondary,
        _ => MudBlazor.Color.Info,
    };

    /// <summary>Why a fix was not saved, in the reader's language: each refused field by its label and what is wrong.</summary>
    public static string FixMessage(IStringLocalizer<WaybillsResources> l, FixResult result)
    {
        if (result.Outcome != FixOutcome.Invalid)
        {
            return l["Fix.Failed"];
        }
        var labels = new Dictionary<string, string>
        {
            ["receiverName"] = "Fix.Receiver",
            ["receiverPhone"] = "Fix.Phone",
            ["province"] = "Fix.Province",
            ["city"] = "Fix.City",
            ["district"] = "Fix.District",
            ["addressDetail"] = "Fix.Address",
            ["weightKg"] = "Fix.Weight",
        };
        var parts = result.Problems.Select(p => string.Format(System.Globalization.CultureInfo.CurrentCulture, l["Fix.Problem"], l[labels[p.Field]], l["Fix.Problem." + p.Code]));
        return string.Format(System.Globalization.CultureInfo.CurrentCulture, l["Fix.Invalid"], string.Join(l["Fix.Separator"], parts));
    }
}
