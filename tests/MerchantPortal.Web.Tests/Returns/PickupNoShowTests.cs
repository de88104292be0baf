using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

[Collection(SharedPortal.Name)]
public class PickupNoShowTests(SharedPortal portal)
{
    [Fact]
    public async Task A_pickup_whose_window_passed_without_a_scan_is_cancelled_recorded_as_a_no_show_and_can_be_rebooked()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("no-show tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsRead, ApiScopes.ReturnsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));
        var (start, end) = TomorrowMorning();
        var booked = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        // The portal's clock is real: the window is moved into the past instead (the sandbox keeps its own copy).
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Set<Pickup>().Where(p => p.ReturnId == id).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.WindowStartUtc, DateTime.UtcNow.AddHours(-6)).SetProperty(p => p.WindowEndUtc, DateTime.UtcNow.AddHours(-3)));
        }

        await portal.Factory.GetService<PickupNoShowJob>().RunAsync(CancellationToken.None);
        await portal.Factory.GetService<PickupNoShowJob>().RunAsync(CancellationToken.None);

        var ret = await ReturnTestData.LoadAsync(portal.Factory, id);
        Assert.Equal(ReturnStatus.Approved, ret.Status);
        Assert.NotNull(ret.PickupNoShowAtUtc);
        Assert.StartsWith("pickup no-show", ret.StatusReason, StringComparison.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.Equal(PickupStatus.NoShow, (await db.Set<Pickup>().SingleAsync(p => p.ReturnId == id)).Status);
        }
        var rebooked = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start.AddDays(1), windowEnd = end.AddDays(1) });
        Assert.Equal(HttpStatusCode.Created, rebooked.StatusCode);
        Assert.EndsWith("-P2", (await rebooked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderCode").GetString(), StringComparison.Ordinal);
    }
}
