using System.ComponentModel.DataAnnotations;
using System.Text;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Admin.Users;

public enum UserStatus { Active, Invited, Disabled }

public sealed record UserRow(
    string Id, string Email, string? DisplayName, string? Role, UserStatus Status, bool TwoFactorEnabled,
    DateTime? LockedOutUntilUtc, DateTime CreatedAtUtc);

/// <summary>Why an admin action was refused; the page and the API each word it for their reader.</summary>
public enum UserAdminError
{
    NotFound,
    InvalidEmail,
    DuplicateEmail,
    InvalidDisplayName,
    InvalidRole,
    LastActiveAdmin,
    CannotDisableSelf,
    AlreadyAccepted,
    /// <summary>A racing change (a deadlock victim on SQL Server): nothing was saved; trying again works.</summary>
    ConcurrentChange,
    Failed,
}

public sealed record UserAdminResult(UserAdminError? Error, string? Detail = null)
{
    public static readonly UserAdminResult Ok = new((UserAdminError?)null);
    public bool Succeeded => Error is null;
}

/// <summary>An invitation: the relative link carries a password-reset token, so it works once and expires.</summary>
public sealed record Invitation(string UserId, string Link);

/// <summary>
/// The Admin's user management (product.md: invite, role, disable, unlock, reset two-factor). Every change is
/// audited. Changes that could leave the portal without an Admin are refused, also when two Admins on two portal
/// instances demote each other at the same moment (see <see cref="GuardedAsync"/>).
/// </summary>
public sealed class UserAdminService(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    UserAdminCheckpoints checkpoints,
    SignInThrottle throttle,
    PublicAddress publicAddress)
{
    public const string AcceptInvitePath = "/Account/AcceptInvite";
    public const int MaxDisplayName = 100;

    private readonly SemaphoreSlim adminGuard = new(1, 1);

    /// <summary>An invitation link as the invitee opens it: on Portal:PublicBaseUrl, never on a request's Host header.</summary>
    public string AbsoluteLink(string link) => new Uri(publicAddress.BaseUrl, link.TrimStart('/')).ToString();

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var roleOf = roles.GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => g.Select(x => x.Name).Order(StringComparer.Ordinal).First());
        var users = await db.Users.OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.IsDisabled, HasPassword = u.PasswordHash != null, u.TwoFactorEnabled, u.LockoutEnd, u.CreatedAtUtc })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserRow(
                u.Id, u.Email ?? "", u.DisplayName, roleOf.GetValueOrDefault(u.Id),
                u.IsDisabled ? UserStatus.Disabled : u.HasPassword ? UserStatus.Active : UserStatus.Invited,
                u.TwoFactorEnabled,
                // Identity's own lockout, or a source locked out by failed sign-ins (SignInThrottle).
                u.LockoutEnd is { } end && end > now ? end.UtcDateTime : throttle.BlockedUntil(u.Email ?? ""),
                u.CreatedAtUtc))
            .ToList();
    }

    public async Task<(UserAdminResult Result, Invitation? Invitation)> InviteAsync(string email, string displayName, string role, string actor, CancellationToken ct = default)
    {
        email = (email ?? "").Trim();
        displayName = (displayName ?? "").Trim();
        if (email.Length is 0 or > 256 || !new EmailAddressAttribute().IsValid(email))
        {
            return (new UserAdminResult(UserAdminError.InvalidEmail), null);
        }
        if (displayName.Length is 0 or > MaxDisplayName)
        {
            return (new UserAdminResult(UserAdminError.InvalidDisplayName), null);
        }
        if (!Roles.All.Contains(role))
        {
            return (new UserAdminResult(UserAdminError.InvalidRole), null);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return (new UserAdminResult(UserAdminError.DuplicateEmail), null);
        }
        // No password: the person chooses it on the invitation page, so the Admin never knows it.
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            DisplayName = displayName,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return (Refused(created), null);
        }
        Audit(scope, actor, "User.Invited", user.Id, $"{email} as {role}");
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? (UserAdminResult.Ok, await LinkAsync(users, user)) : (Refused(added), null);
    }

    /// <summary>A fresh link for someone who has not accepted yet (the first expired or got lost).</summary>
    public async Task<(UserAdminResult Result, Invitation? Invitation)> ReinviteAsync(string userId, string actor, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return (new UserAdminResult(UserAdminError.NotFound), null);
        }
        if (await users.HasPasswordAsync(user))
        {
            return (new UserAdminResult(UserAdminError.AlreadyAccepted), null);
        }
        Audit(scope, actor, "User.Reinvited", user.Id, user.Email);
        // A new stamp voids every earlier link: only the newest one works.
        var updated = await users.UpdateSecurityStampAsync(user);
        return updated.Succeeded ? (UserAdminResult.Ok, await LinkAsync(users, user)) : (Refused(updated), null);
    }

    public Task<UserAdminResult> ChangeRoleAsync(string userId, string role, string actor, CancellationToken ct = default) =>
        GuardedAsync(userId, actor, "User.RoleChanged", async (users, user) =>
        {
            if (!Roles.All.Contains(role))
            {
                return new UserAdminResult(UserAdminError.InvalidRole);
            }
            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == role)
            {
                return UserAdminResult.Ok;
            }
            if (current.Contains(Roles.Admin) && role != Roles.Admin && !user.IsDisabled && !await AnotherActiveAdminAsync(user.Id, ct))
            {
                return new UserAdminResult(UserAdminError.LastActiveAdmin);
            }
            var removed = await users.RemoveFromRolesAsync(user, current);
            var added = removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
            // No new security stamp: the person stays signed in and the cookie check refreshes their role.
            return added.Succeeded ? UserAdminResult.Ok : Refused(added);
        }, ct, details: $"to {role}");

    public Task<UserAdminResult> DisableAsync(string userId, string actor, string? actorUserId, CancellationToken ct = default) =>
        GuardedAsync(userId, actor, "User.Disabled", async (users, user) =>
        {
            if (user.Id == actorUserId)
            {
                return new UserAdminResult(UserAdminError.CannotDisableSelf);
            }
            if (user.IsDisabled)
            {
                return UserAdminResult.Ok;
            }
            if (await users.IsInRoleAsync(user, Roles.Admin) && !await AnotherActiveAdminAsync(user.Id, ct))
            {
                return new UserAdminResult(UserAdminError.LastActiveAdmin);
            }
            user.IsDisabled = true;
            // The new stamp ends every session at its next request and every open circuit at its next revalidation.
            return Result(await users.UpdateSecurityStampAsync(user));
        }, ct);

    public Task<UserAdminResult> EnableAsync(string userId, string actor, CancellationToken ct = default) =>
        GuardedAsync(userId, actor, "User.Enabled", async (users, user) =>
        {
            user.IsDisabled = false;
            return Result(await users.UpdateAsync(user));
        }, ct);

    public Task<UserAdminResult> UnlockAsync(string userId, string actor, CancellationToken ct = default) =>
        GuardedAsync(userId, actor, "User.Unlocked", async (users, user) =>
        {
            throttle.Clear(user.Email ?? "");
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            return Result(unlocked.Succeeded ? await users.ResetAccessFailedCountAsync(user) : unlocked);
        }, ct);

    /// <summary>For a lost phone: two-factor off, a new authenticator key, old recovery codes void, sessions ended.</summary>
    public Task<UserAdminResult> ResetTwoFactorAsync(string userId, string actor, CancellationToken ct = default) =>
        GuardedAsync(userId, actor, "User.TwoFactorReset", async (users, user) =>
        {
            var disabled = await users.SetTwoFactorEnabledAsync(user, false);
            if (!disabled.Succeeded)
            {
                return Refused(disabled);
            }
            await users.ReplaceCodesAsync(user);
            // ResetAuthenticatorKeyAsync also updates the security stamp.
            return Result(await users.ResetAuthenticatorKeyAsync(user));
        }, ct);

    /// <summary>Loads the user, applies the change and audits it, one change at a time (see the class remarks).</summary>
    private async Task<UserAdminResult> GuardedAsync(
        string userId,
        string actor,
        string auditAction,
        Func<UserManager<ApplicationUser>, ApplicationUser, Task<UserAdminResult>> change,
        CancellationToken ct,
        string? details = null)
    {
        await adminGuard.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // The semaphore only serializes this process. Across processes the database does: the change and a recount
            // of active Admins run in one serializable transaction (SQLite: BEGIN IMMEDIATE, one writer at a time; SQL
            // Server: range locks, a racing demotion blocks or becomes the deadlock victim), and a change that leaves
            // no active Admin is rolled back. Identity's stores save through this same scoped context, so they join it.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return new UserAdminResult(UserAdminError.NotFound);
            }
            var adminsBefore = await ActiveAdminCountAsync(db, ct);
            // The audit row rides on Identity's own save, so it commits with the change; a refused change saves nothing.
            var audit = Audit(scope, actor, auditAction, user.Id, details is null ? user.Email : $"{user.Email} {details}");
            var result = await change(users, user);
            if (result.Succeeded && adminsBefore > 0 && await ActiveAdminCountAsync(db, ct) == 0)
            {
                result = new UserAdminResult(UserAdminError.LastActiveAdmin);
            }
            if (!result.Succeeded)
            {
                audit.State = EntityState.Detached;
                await transaction.RollbackAsync(ct);
                return result;
            }
            await audit.Context.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            // SQL Server picks one of two racing demotions as deadlock victim; nothing of it was saved.
            return new UserAdminResult(UserAdminError.ConcurrentChange, "Another change to these users happened at the same moment; nothing was saved, try again.");
        }
        finally
        {
            adminGuard.Release();
        }
    }

    private static Task<int> ActiveAdminCountAsync(PortalDbContext db, CancellationToken ct) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         join u in db.Users on ur.UserId equals u.Id
         where r.Name == Roles.Admin && !u.IsDisabled && u.PasswordHash != null
         select u.Id).Distinct().CountAsync(ct);

    private async Task<bool> AnotherActiveAdminAsync(string exceptUserId, CancellationToken ct)
    {
        bool another;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            another = await (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             join u in db.Users on ur.UserId equals u.Id
                             where r.Name == Roles.Admin && !u.IsDisabled && u.Id != exceptUserId && u.PasswordHash != null
                             select u.Id).AnyAsync(ct);
        }
        await checkpoints.AdminsCountedAsync(exceptUserId, ct);
        return another;
    }

    private static async Task<Invitation> LinkAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        return new Invitation(user.Id, $"{AcceptInvitePath}?userId={Uri.EscapeDataString(user.Id)}&code={code}");
    }

    /// <summary>Adds the audit row to the scope's context, the one Identity's stores save through.</summary>
    private Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<AuditEntry> Audit(AsyncServiceScope scope, string actor, string action, string userId, string? details)
    {
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, action, "User", userId, details);
        return db.ChangeTracker.Entries<AuditEntry>().Last(e => e.State == EntityState.Added);
    }

    private static UserAdminResult Result(IdentityResult result) => result.Succeeded ? UserAdminResult.Ok : Refused(result);

    private static UserAdminResult Refused(IdentityResult result) =>
        new(UserAdminError.Failed, string.Join(" ", result.Errors.Select(e => e.Description)));
}

internal static class UserManagerRecoveryCodes
{
    /// <summary>Voids every recovery code by storing an empty set.</summary>
    public static async Task ReplaceCodesAsync(this UserManager<ApplicationUser> users, ApplicationUser user)
    {
        if (users.SupportsUserTwoFactorRecoveryCodes)
        {
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        }
    }
}
