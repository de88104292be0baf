using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// A pickup booked through a carrier that cannot be reached (a real HTTP call to a closed port): the pickup keeps the
/// gateway's English text for the API, and the return's page (server-prerendered, signed in) says in the reader's
/// language that the carrier could not be reached and what to do.
/// </summary>
[Collection(SharedPortal.Name)]
public class PickupFailurePageTests(SharedPortal portal)
{
    private async Task<(long ReturnId, string StoredReason)> UnbookedPickupAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var account = await portal.Factory.GetService<CarrierAccountService>().CreateAsync(new CarrierAccountInput(
            "取件不可达 " + Guid.NewGuid().ToString("N")[..6], CarrierEnvironment.Custom, $"http://127.0.0.1:{port}/", "test1617571", "sandbox-appkey-0001-demo", "SF",
            null, null, null, null, null), "test");
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("pickup failure page tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));
        var (start, end) = TomorrowMorning();

        var booking = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end, carrierAccountId = account.Id });

        var errors = await ProblemAsync(booking, HttpStatusCode.Conflict);
        Assert.Contains("could not be reached", errors.GetProperty("carrier")[0].GetString(), StringComparison.Ordinal);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var stored = await db.Set<Pickup>().Where(p => p.ReturnId == id).Select(p => p.FailureReason).SingleAsync();
        Assert.False(string.IsNullOrWhiteSpace(stored));
        return (id, stored!);
    }

    [Fact]
    public async Task A_Chinese_user_reads_why_the_pickup_was_not_booked_in_Chinese()
    {
        var (id, stored) = await UnbookedPickupAsync();
        using var browser = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        await browser.GetAsync("/culture?culture=zh-CN&redirectUri=/");

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/returns/{id}"));

        Assert.Contains("无法连接承运商，或无法解析其响应：请重新预约，系统会重发同一请求。", page, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_English_user_reads_it_in_English()
    {
        var (id, _) = await UnbookedPickupAsync();
        using var browser = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        await browser.GetAsync("/culture?culture=en&redirectUri=/");

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/returns/{id}"));

        Assert.Contains("The carrier could not be reached, or its answer could not be read: book again to resend the same request.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Chinese_user_reads_that_the_courier_did_not_come_in_Chinese()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("no-show page tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));
        var (start, end) = TomorrowMorning();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end })).StatusCode);
        // The portal's clock is real: the window is moved into the past instead (as PickupNoShowTests does).
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Set<Pickup>().Where(p => p.ReturnId == id).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.WindowStartUtc, DateTime.UtcNow.AddHours(-6)).SetProperty(p => p.WindowEndUtc, DateTime.UtcNow.AddHours(-3)));
        }
        await portal.Factory.GetService<PickupNoShowJob>().RunAsync(CancellationToken.None);
        var stored = (await LoadAsync(portal.Factory, id)).StatusReason!;
        Assert.StartsWith(PickupNoShowJob.NoShowReasonPrefix, stored, StringComparison.Ordinal);

        using var browser = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        await browser.GetAsync("/culture?culture=zh-CN&redirectUri=/");
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/returns/{id}"));

        Assert.Contains("快递员未按预约时间", page, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, page, StringComparison.Ordinal);
        Assert.DoesNotContain("did not come", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_naming_the_returns_status_names_it_in_the_readers_language()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        var l = portal.Factory.GetService<IStringLocalizer<ReturnsResources>>();

        var text = ReturnsResources.Describe(l, new FieldProblem("status", "PickupNeedsApproval", "A pickup can be booked for an approved return; this one is Requested.", ReturnStatus.Requested));

        Assert.Equal("只有已批准的退货才能预约取件，当前状态为 待审核。", text);
    }
}
