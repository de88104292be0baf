using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Orders;

public enum StoryTone
{
    Normal,
    Good,
    Warning,
}

/// <summary>
/// One thing that happened to an order, from whichever feature knows it. <see cref="Kind"/> names a resource
/// ("Story." + Kind in OrdersResources) so every line is worded in the reader's language; <see cref="Detail"/> is the
/// data itself (a number, a carrier's scan text, a reason), shown as written. <see cref="Title"/>, when set, is the
/// line already worded (an order's own rows, see <see cref="OrderStoryWords"/>).
/// </summary>
public sealed record StoryEvent(DateTime AtUtc, string Kind, string? Detail, string? Actor = null, string? Href = null, StoryTone Tone = StoryTone.Normal, string? Title = null);

/// <summary>
/// A feature's part of an order's story (tracking's scans, monitoring's cases, returns and refunds). Sources read
/// their own tables; free text a reader without full PII rights sees is masked by the source.
/// </summary>
public interface IOrderStorySource
{
    Task<IReadOnlyList<StoryEvent>> EventsAsync(PortalDbContext db, long orderId, bool fullPii, CancellationToken ct);
}

/// <summary>The order page's merged timeline: the order's own history and every source's events, newest first.</summary>
public sealed class OrderStory(IDbContextFactory<PortalDbContext> dbFactory, IEnumerable<IOrderStorySource> sources, IStringLocalizer<OrdersResources> l)
{
    public async Task<IReadOnlyList<StoryEvent>> ForOrderAsync(long orderId, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = new List<StoryEvent>();
        var history = await db.Set<OrderHistory>().AsNoTracking().Where(h => h.OrderId == orderId).OrderBy(h => h.Id).ToListAsync(ct);
        foreach (var h in history)
        {
            var line = OrderStoryWords.Word(h.Action, Mask(h.Details, fullPii), h.ToStatus, l);
            events.Add(new StoryEvent(h.AtUtc, "Order." + h.Action, line.Detail, h.Actor, null, Tone(h.ToStatus), line.Title));
        }
        foreach (var source in sources)
        {
            events.AddRange(await source.EventsAsync(db, orderId, fullPii, ct));
        }
        // Newest first, like a carrier timeline; on a tie the order's own row (the consequence) above its cause.
        return [.. events.Select((e, i) => (e, i)).OrderByDescending(x => x.e.AtUtc).ThenByDescending(x => x.i).Select(x => x.e)];
    }

    private static string? Mask(string? text, bool fullPii) => fullPii ? text : Pii.MaskPhonesIn(text);

    private static StoryTone Tone(OrderStatus? to) => to switch
    {
        OrderStatus.Delivered => StoryTone.Good,
        OrderStatus.Exception or OrderStatus.Cancelled => StoryTone.Warning,
        _ => StoryTone.Normal,
    };
}
