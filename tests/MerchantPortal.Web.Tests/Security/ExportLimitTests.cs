using System.Net;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// Exports are the heaviest thing a signed-in user can start: one at a time per user and a few at once in all. An
/// export is held "running" by not reading its body: the server then waits on the full socket (20,000 orders are
/// megabytes of CSV, far more than the loopback buffers hold).
/// </summary>
public class ExportLimitTests
{
    [Fact]
    public async Task A_second_export_of_the_same_user_is_refused_in_their_language_until_the_first_ends_and_a_third_user_waits_for_a_free_slot()
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?>
        {
            ["DemoData:Orders"] = "20000",
            ["Exports:MaxConcurrent"] = "2",
        });
        using var cs = await PortalSession.SignInAsync(factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(factory, "ops@demo.local");
        using var admin = await PortalSession.SignInAsync(factory, "admin@demo.local");

        var first = await StartAsync(cs);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        cs.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var again = await cs.GetAsync("/orders/export");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Contains("An export is already running", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        cs.DefaultRequestHeaders.AcceptLanguage.Clear();
        cs.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        Assert.Contains("已有一个导出正在进行", await (await cs.GetAsync("/orders/export")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Two exports run (CustomerService, Ops): the global limit leaves none for the Admin.
        var second = await StartAsync(ops);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var third = await admin.GetAsync("/orders/export");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);

        // Cancelling the download ends the export and frees its slot.
        first.Dispose();
        var afterCancel = await WaitForAsync(async () => (await admin.GetAsync("/orders/export", HttpCompletionOption.ResponseHeadersRead)),
            r => r.StatusCode == HttpStatusCode.OK, describe: r => ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        afterCancel.Dispose();
        second.Dispose();
    }

    private static Task<HttpResponseMessage> StartAsync(HttpClient client) =>
        client.GetAsync("/orders/export", HttpCompletionOption.ResponseHeadersRead);
}
