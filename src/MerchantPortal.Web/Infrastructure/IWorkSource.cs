namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Something that finds unfinished work in the portal's tables and enqueues it again (a batch whose job was lost
/// in a crash, an outbox row never sent). Implementations are idempotent: they only enqueue work the database
/// says is still open, and the jobs they enqueue check again before acting.
/// </summary>
public interface IWorkSource
{
    string Name { get; }
    Task<int> RequeueUnfinishedAsync(CancellationToken ct);
}
