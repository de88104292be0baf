using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>
/// GET /api/v1/waybills/handover: the handover list /waybills/handover shows, as JSON or the printable PDF. On the
/// waybill portal: the list needs waybills issued through the sandbox carrier.
/// </summary>
[Collection(WaybillCollection.Name)]
public class HandoverApiTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    /// <summary>Issues three waybills through a real batch and answers the Beijing day they were issued on.</summary>
    private async Task<DateOnly> DayWithWaybillsAsync() => (await BatchWithWaybillsAsync()).Day;

    private async Task<(DateOnly Day, long BatchId, string[] Orders)> BatchWithWaybillsAsync()
    {
        var accountId = await WaybillTestData.AccountAsync(portal.Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(portal.Factory, 3);
        var summary = await WaybillTestData.WaitFinishedAsync(portal.Factory, await WaybillTestData.StartAsync(portal.Factory, orders, accountId));
        Assert.Equal(3, summary.Succeeded);
        await using var db = await WaybillTestData.Db(portal.Factory);
        var issued = await db.Set<Waybill>().Where(w => w.LiveOrderId != null && orders.Contains(w.OrderNo)).Select(w => w.IssuedAtUtc).FirstAsync();
        return (DateOnly.FromDateTime(issued + BusinessCalendar.Offset), summary.Id, orders);
    }

    [Fact]
    public async Task A_finished_batch_links_to_its_carriers_handover_list_of_the_day_which_shows_only_that_carrier()
    {
        var (day, batchId, orders) = await BatchWithWaybillsAsync();
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        var batchPage = await ops.GetStringAsync($"/waybills/{batchId}");
        var link = System.Text.RegularExpressions.Regex.Match(batchPage, "href=\"(?<href>[^\"]+)\"[^>]*data-testid=\"waybill-batch-next-handover\"|data-testid=\"waybill-batch-next-handover\"[^>]*href=\"(?<href>[^\"]+)\"");
        Assert.True(link.Success, "the finished batch offers no handover list");
        var href = System.Net.WebUtility.HtmlDecode(link.Groups["href"].Value);
        Assert.Equal($"/waybills/handover?day={day:yyyy-MM-dd}&carrier=ZTO", href);

        var handover = await ops.GetStringAsync(href);
        Assert.Contains("data-testid=\"handover-ZTO\"", handover, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"handover-SF\"", handover, StringComparison.Ordinal);
        Assert.All(orders, o => Assert.Contains(o, handover, StringComparison.Ordinal));

        using var api = portal.Factory.CreateApiClient();
        var all = (await api.GetFromJsonAsync<List<HandoverList>>($"/api/v1/waybills/handover?day={day:yyyy-MM-dd}"))!;
        var zto = (await api.GetFromJsonAsync<List<HandoverList>>($"/api/v1/waybills/handover?day={day:yyyy-MM-dd}&carrier=ZTO"))!;
        Assert.Equal(all.Where(l => l.ShipperCode == "ZTO").SelectMany(l => l.Rows), Assert.Single(zto).Rows);
        var none = (await api.GetFromJsonAsync<List<HandoverList>>($"/api/v1/waybills/handover?day={day:yyyy-MM-dd}&carrier=NOSUCH"))!;
        Assert.Empty(none);
    }

    [Fact]
    public async Task The_handover_list_of_a_day_is_the_list_the_handover_page_shows()
    {
        using var api = portal.Factory.CreateApiClient();
        var day = await DayWithWaybillsAsync();
        var expected = await portal.Factory.GetService<WaybillService>().HandoverAsync(day);
        Assert.NotEmpty(expected);

        var listed = (await api.GetFromJsonAsync<List<HandoverList>>($"/api/v1/waybills/handover?day={day:yyyy-MM-dd}"))!;

        Assert.Equal(expected.Select(l => (l.ShipperCode, l.CarrierName, l.Day)), listed.Select(l => (l.ShipperCode, l.CarrierName, l.Day)));
        Assert.Equal(expected.SelectMany(l => l.Rows), listed.SelectMany(l => l.Rows));
        var pdf = await api.GetAsync($"/api/v1/waybills/handover?day={day:yyyy-MM-dd}&format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task A_day_outside_any_real_one_or_an_unknown_format_is_refused_naming_it()
    {
        using var api = portal.Factory.CreateApiClient();

        var response = await api.GetAsync("/api/v1/waybills/handover?day=0001-01-01&format=docx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("between 2000 and 2100", errors.GetProperty("day")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("json (default) or pdf", errors.GetProperty("format")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handover_list_needs_orders_read()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("no orders:read", [ApiScopes.WaybillsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/waybills/handover")).StatusCode);
    }

    [Fact]
    public async Task The_handover_PDF_page_route_refuses_a_day_outside_any_real_one_instead_of_failing()
    {
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        var response = await ops.GetAsync("/waybills/handover.pdf?day=0001-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between 2000 and 2100", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
