using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Admin;

[Collection(SharedPortal.Name)]
public class PortalSettingsTests(SharedPortal portal)
{
    private sealed record Branding(string Name, string Color);

    [Fact]
    public async Task A_setting_reads_back_what_was_written_and_the_change_is_audited()
    {
        var settings = portal.Factory.GetService<PortalSettings>();
        var key = "test." + Guid.NewGuid().ToString("N")[..8];

        var before = await settings.GetAsync(key, new Branding("fallback", "#000"));
        await settings.SetAsync(key, new Branding("茶叶小铺", "#2e7d32"), "admin@demo.local");
        var after = await settings.GetAsync(key, new Branding("fallback", "#000"));

        Assert.Equal(new Branding("fallback", "#000"), before);
        Assert.Equal(new Branding("茶叶小铺", "#2e7d32"), after);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "setting.changed" && a.EntityId == key && a.Actor == "admin@demo.local"));
    }

    [Fact]
    public async Task A_value_that_no_longer_parses_gives_the_fallback_instead_of_an_error()
    {
        var settings = portal.Factory.GetService<PortalSettings>();
        var key = "test." + Guid.NewGuid().ToString("N")[..8];
        await settings.SetAsync(key, "not a number", "admin@demo.local");

        Assert.Equal(42, await settings.GetAsync(key, 42));
    }

    [Fact]
    public async Task An_oversized_value_is_refused_with_the_key_named()
    {
        var settings = portal.Factory.GetService<PortalSettings>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => settings.SetAsync("test.huge", new string('x', 5000), "admin@demo.local"));

        Assert.Contains("test.huge", error.Message, StringComparison.Ordinal);
    }
}
