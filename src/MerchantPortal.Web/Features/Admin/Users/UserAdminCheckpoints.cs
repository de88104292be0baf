namespace MerchantPortal.Web.Features.Admin.Users;

/// <summary>
/// A named step inside <see cref="UserAdminService"/>'s last-Admin guard: the moment the other active Admins have
/// been counted and nothing has been written yet. In production it does nothing. It exists so a test can hold two
/// portal instances at exactly that point (both have counted before either writes), the interleaving the guard
/// must survive and that real timing almost never produces (Hardening/LastAdminAcrossProcessesTests).
/// </summary>
public class UserAdminCheckpoints
{
    /// <summary>Called after the count of other active Admins for <paramref name="userId"/>, before any write.</summary>
    public virtual ValueTask AdminsCountedAsync(string userId, CancellationToken ct) => ValueTask.CompletedTask;
}
