using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// 10.6, forms that have no API twin: the service each page saves through refuses an oversized value with the
/// key of a message the page shows, and stores nothing (SQLite would keep any length; SQL Server would fail the save).
/// </summary>
[Collection(SharedPortal.Name)]
public class FormServiceLimitsTests(SharedPortal portal)
{
    private static readonly string Huge = new('x', 100_000);

    [Fact]
    public async Task A_monitoring_rule_with_an_oversized_carrier_or_province_is_refused_and_not_stored()
    {
        var service = portal.Factory.GetService<MonitoringRuleService>();
        foreach (var input in new[]
                 {
                     new MonitoringRuleInput(0, ExceptionType.NoUpdate, Huge, null, null, 48, ExceptionSeverity.Medium, 24, true),
                     new MonitoringRuleInput(0, ExceptionType.NoUpdate, "ZTO", "<script>alert(1)</script>" + Huge, null, 48, ExceptionSeverity.Medium, 24, true),
                     new MonitoringRuleInput(0, ExceptionType.NoUpdate, "ZTO", null, Huge, 48, ExceptionSeverity.Medium, 24, true),
                 })
        {
            var result = await service.SaveAsync(input, "test");
            Assert.False(result.Ok);
            Assert.Equal("Rules.Error.TooLong", result.ErrorKey);
        }
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<MonitoringRule>().AnyAsync(r => r.ShipperCode!.Length > 20 || r.OriginProvince!.Length > 20 || r.DestinationProvince!.Length > 20));
    }

    [Fact]
    public async Task A_notification_template_with_an_oversized_subject_or_body_is_refused()
    {
        var admin = portal.Factory.GetService<NotificationAdmin>();
        var template = (await admin.TemplatesAsync()).First();
        Assert.False(await admin.SaveTemplateAsync(template.Id, new string('s', 201), template.Body, template.Enabled, "test"));
        Assert.False(await admin.SaveTemplateAsync(template.Id, template.Subject, Huge, template.Enabled, "test"));
        Assert.Equal(template.Body, (await admin.TemplatesAsync()).Single(t => t.Id == template.Id).Body);
    }

    [Fact]
    public async Task An_oversized_opt_out_address_or_reason_is_refused_and_nothing_is_stored()
    {
        var admin = portal.Factory.GetService<NotificationAdmin>();
        Assert.Equal(OptOutOutcome.BadAddress, (await admin.AddOptOutAsync("1" + Huge, "reason", "test")).Outcome);
        // The reason column holds 200 characters: a longer reason is refused, not cut.
        Assert.Equal(OptOutOutcome.ReasonTooLong, (await admin.AddOptOutAsync("13900005201", new string('r', 201), "test")).Outcome);
        Assert.DoesNotContain(await admin.OptOutsAsync(), o => o.Address == "13900005201");
        Assert.Equal(OptOutOutcome.Added, (await admin.AddOptOutAsync("13900005201", new string('r', 200), "test")).Outcome);
        Assert.Equal(new string('r', 200), (await admin.OptOutsAsync()).Single(o => o.Address == "13900005201").Reason);
    }

    [Fact]
    public async Task An_oversized_saved_view_name_is_refused_with_a_reason()
    {
        var views = portal.Factory.GetService<SavedViewService>();
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => views.SaveAsync("ops@demo.local", Huge, "status=New"));
        Assert.Contains("1–100", refused.Message);
        Assert.DoesNotContain(await views.ListAsync("ops@demo.local"), v => v.Name.Length > 100);
    }
}
