using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// /track must not tell by its work whether a tracking number exists: a known number with wrong digits, an unknown
/// number and the right digits run the same database commands (compared by command, not by a stopwatch).
/// </summary>
[Collection(SharedPortal.Name)]
public class TrackingLookupWorkTests(SharedPortal portal)
{
    [Fact]
    public async Task A_known_number_with_wrong_digits_an_unknown_number_and_the_right_digits_run_the_same_commands()
    {
        var number = await Tracking.PublicTrackingTests.ShippedParcelAsync(portal.Factory, "13800004321");

        var wrongDigits = await CommandsOfAsync(number, "9999");
        var unknown = await CommandsOfAsync(NewZtoNumber(), "4321");
        var right = await CommandsOfAsync(number, "4321");

        Assert.NotNull(right.View);
        Assert.Null(wrongDigits.View);
        Assert.Null(unknown.View);
        Assert.Equal(unknown.Commands, wrongDigits.Commands);
        Assert.Equal(right.Commands, wrongDigits.Commands);
    }

    private async Task<(PublicTrackingView? View, List<string> Commands)> CommandsOfAsync(string trackingNo, string last4)
    {
        using var scope = portal.Factory.Services.CreateScope();
        var tracking = scope.ServiceProvider.GetRequiredService<PublicTracking>();
        using var recorder = new DbCommandRecorder();
        var view = await recorder.RecordAsync(() => tracking.FindAsync(trackingNo, last4));
        return (view, recorder.Commands);
    }
}
