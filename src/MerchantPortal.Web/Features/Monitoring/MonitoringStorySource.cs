using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>The order's exception cases in its story: opened, commented, assigned, resolved, each with the case type.</summary>
public sealed class MonitoringStorySource(IStringLocalizer<MonitoringResources> l) : IOrderStorySource
{
    public async Task<IReadOnlyList<StoryEvent>> EventsAsync(PortalDbContext db, long orderId, bool fullPii, CancellationToken ct)
    {
        var notes = await db.Set<ExceptionCase>().AsNoTracking().Where(c => c.OrderId == orderId)
            .Join(db.Set<ExceptionCaseNote>(), c => c.Id, n => n.CaseId, (c, n) => new { c.Id, c.Type, c.Severity, n.AtUtc, n.Actor, n.Kind, n.Text })
            .ToListAsync(ct);
        return [.. notes.Select(n => new StoryEvent(
            n.AtUtc,
            "Case." + n.Kind,
            string.Join(" · ", new[] { l["Type." + n.Type].Value, n.Kind is CaseNoteKind.AutoResolved or CaseNoteKind.CauseChanged ? CaseWords.NoteText(n.Kind, n.Text, l) : fullPii ? n.Text : Pii.MaskPhonesIn(n.Text) }.Where(t => !string.IsNullOrWhiteSpace(t))),
            n.Actor,
            "/exceptions/" + n.Id,
            n.Kind is CaseNoteKind.Opened && n.Severity == ExceptionSeverity.High ? StoryTone.Warning : StoryTone.Normal))];
    }
}
