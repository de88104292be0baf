using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>
/// The Admin's global switches through the API: waybills on approval, the public tracking brand and the return rules.
/// Each is the page's own service, so what the API sets is what the pages and the flows use. A portal of its own:
/// these settings change behaviour for everyone on it.
/// </summary>
public class SettingsApiTests(SharedPortal portal) : IClassFixture<SharedPortal>
{
    private PortalFactory Factory => portal.Factory;

    private async Task<HttpClient> AdminAsync()
    {
        var key = await Factory.GetService<ApiKeyService>().CreateAsync("settings api tests", [ApiScopes.Admin, ApiScopes.OrdersWrite], "test");
        return Factory.CreateApiClient(key.Key);
    }

    private async Task<List<string>> SettingAuditAsync(string key)
    {
        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Action == "setting.changed" && a.EntityId == key).Select(a => a.Actor).ToListAsync();
    }

    [Fact]
    public async Task Switching_waybills_on_approval_on_through_the_API_gives_an_order_approved_afterwards_its_waybill_batch()
    {
        using var api = await AdminAsync();
        Assert.False((await ApiAnswers.JsonAsync(await api.GetAsync("/api/v1/settings/auto-waybills"), HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());

        var on = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/auto-waybills", new { enabled = true }), HttpStatusCode.OK);
        Assert.True(on.GetProperty("enabled").GetBoolean());
        Assert.True(await Factory.GetService<AutoWaybills>().IsOnAsync());
        Assert.Contains(await SettingAuditAsync(AutoWaybills.SettingKey), a => a.StartsWith("api:", StringComparison.Ordinal));

        // An order approved now gets a batch of its own, as with the page's switch.
        await using (var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var orderNo = await db.Set<Order>().Where(o => o.Status == OrderStatus.PendingReview).OrderBy(o => o.Id).Select(o => o.OrderNo).FirstAsync();
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).StatusCode);
            Assert.True(await db.Set<WaybillBatchItem>().AnyAsync(i => db.Set<Order>().Any(o => o.Id == i.OrderId && o.OrderNo == orderNo)),
                "the order approved after the switch got no waybill batch");
        }

        Assert.False((await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/auto-waybills", new { enabled = false }), HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        var missing = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/auto-waybills", new { }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("enabled", out _));
        Assert.False(await Factory.GetService<AutoWaybills>().IsOnAsync());
    }

    [Fact]
    public async Task The_tracking_brand_set_through_the_API_is_what_the_public_page_uses_and_bad_values_are_refused_by_name()
    {
        using var api = await AdminAsync();

        var saved = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/tracking-brand", new { name = " 示例商城 ", logoUrl = "/assets/brand/logo.png", primaryColor = "#ff5722" }), HttpStatusCode.OK);
        Assert.Equal(("示例商城", "/assets/brand/logo.png", "#ff5722"), (saved.GetProperty("name").GetString(), saved.GetProperty("logoUrl").GetString(), saved.GetProperty("primaryColor").GetString()));
        var brand = await TrackingBrand.LoadAsync(Factory.GetService<MerchantPortal.Web.Features.Admin.Settings.PortalSettings>());
        Assert.Equal(new TrackingBrand("示例商城", "/assets/brand/logo.png", "#ff5722"), brand);
        using (var anonymous = Factory.CreateBrowserLikeClient())
        {
            Assert.Contains("示例商城", WebUtility.HtmlDecode(await anonymous.GetStringAsync("/track")), StringComparison.Ordinal);
        }

        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { name = new string('名', 61) }, "name"),
                     (new { logoUrl = "https://evil.example/logo.png" }, "logoUrl"),
                     (new { logoUrl = "//evil.example/logo.png" }, "logoUrl"),
                     (new { primaryColor = "red; background:url(x)" }, "primaryColor"),
                 })
        {
            var refused = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/tracking-brand", body), HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), refused.GetRawText());
        }
        // Nothing of a refused body was saved, the name was not cut to 60 either.
        Assert.Equal(brand, await TrackingBrand.LoadAsync(Factory.GetService<MerchantPortal.Web.Features.Admin.Settings.PortalSettings>()));

        var reset = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/tracking-brand", new { }), HttpStatusCode.OK);
        Assert.Equal((JsonValueKind.Null, TrackingBrand.DefaultColor), (reset.GetProperty("name").ValueKind, reset.GetProperty("primaryColor").GetString()));
    }

    [Fact]
    public async Task Return_rules_set_through_the_API_decide_the_next_returns_approval_and_bad_rules_are_refused_by_name()
    {
        using var api = await AdminAsync();
        var before = await ApiAnswers.JsonAsync(await api.GetAsync("/api/v1/settings/return-rules"), HttpStatusCode.OK);
        Assert.Equal("OnReceipt", before.GetProperty("refundTrigger").GetString());

        var saved = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/return-rules",
            new { autoApproveReasons = new[] { "NoLongerNeeded", "NoLongerNeeded" }, autoApproveMaxAmount = 80m, refundTrigger = "OnFirstScan" }), HttpStatusCode.OK);
        Assert.Equal(["NoLongerNeeded"], saved.GetProperty("autoApproveReasons").EnumerateArray().Select(r => r.GetString()));
        var rules = await Factory.GetService<ReturnRules>().GetAsync();
        Assert.Equal([ReturnReason.NoLongerNeeded], rules.AutoApproveReasons);
        Assert.Equal((80m, RefundTrigger.OnFirstScan), (rules.AutoApproveMaxAmount, rules.RefundTrigger));
        Assert.True(rules.AutoApproves(ReturnReason.NoLongerNeeded, 80m));
        Assert.False(rules.AutoApproves(ReturnReason.Damaged, 10m));

        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { autoApproveMaxAmount = 10m, refundTrigger = "OnReceipt" }, "autoApproveReasons"),
                     (new { autoApproveReasons = Array.Empty<string>(), autoApproveMaxAmount = -1m, refundTrigger = "OnReceipt" }, "autoApproveMaxAmount"),
                     (new { autoApproveReasons = Array.Empty<string>(), autoApproveMaxAmount = 2_000_000m, refundTrigger = "OnReceipt" }, "autoApproveMaxAmount"),
                     (new { autoApproveReasons = Array.Empty<string>(), autoApproveMaxAmount = 10m }, "refundTrigger"),
                 })
        {
            var refused = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/return-rules", body), HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), refused.GetRawText());
        }
        Assert.Equal(80m, (await Factory.GetService<ReturnRules>().GetAsync()).AutoApproveMaxAmount);

        // Back to the defaults for the next test on this portal.
        await ApiAnswers.JsonAsync(await api.PutAsJsonAsync("/api/v1/settings/return-rules",
            new { autoApproveReasons = new[] { "Damaged", "WrongItem", "NotAsDescribed" }, autoApproveMaxAmount = 500m, refundTrigger = "OnReceipt" }), HttpStatusCode.OK);
    }
}
