using System.Collections.Concurrent;
using System.Net;
using MerchantPortal.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Failed sign-ins counted per account and source (client address), not per account alone: R7's lockout (5 failures →
/// 15 minutes) holds for the source that failed, so a stranger who knows an e-mail address locks out only themselves,
/// not its owner. Across all sources an account gets a progressive delay instead (1 s after 10 failures in 15 minutes,
/// doubling to 30 s): it slows guessing spread over many addresses without ever locking the owner out. The counts are
/// kept by e-mail address, whether an account has it or not, so the answers cannot tell which accounts exist. In
/// memory, per process: behind a load balancer each instance counts its own (a restart forgets them).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailuresPerSource = 5;
    public const int FailuresBeforeDelay = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private sealed class Record
    {
        public readonly List<DateTimeOffset> Failures = [];
        public DateTimeOffset? BlockedUntil;
    }

    private readonly ConcurrentDictionary<(string Account, string Source), Record> bySource = new();
    private readonly ConcurrentDictionary<string, Record> byAccount = new(StringComparer.Ordinal);

    public bool IsBlocked(string email, IPAddress? source)
    {
        var now = clock.GetUtcNow();
        return bySource.TryGetValue(Key(email, source), out var r) && Locked(r, () => r.BlockedUntil > now);
    }

    /// <summary>How long to wait before answering this account's next attempt (zero below the threshold).</summary>
    public TimeSpan DelayFor(string email)
    {
        if (!byAccount.TryGetValue(Normalize(email), out var r))
        {
            return TimeSpan.Zero;
        }
        var count = Locked(r, () => Recent(r, clock.GetUtcNow()));
        if (count < FailuresBeforeDelay)
        {
            return TimeSpan.Zero;
        }
        var seconds = Math.Pow(2, Math.Min(count - FailuresBeforeDelay, 5));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
    }

    public void Failed(string email, IPAddress? source)
    {
        var now = clock.GetUtcNow();
        var pair = bySource.GetOrAdd(Key(email, source), _ => new Record());
        Locked(pair, () =>
        {
            pair.Failures.Add(now);
            if (Recent(pair, now) >= MaxFailuresPerSource)
            {
                pair.BlockedUntil = now + Window;
                pair.Failures.Clear();
            }
            return 0;
        });
        var account = byAccount.GetOrAdd(Normalize(email), _ => new Record());
        Locked(account, () =>
        {
            account.Failures.Add(now);
            return Recent(account, now);
        });
    }

    /// <summary>A successful sign-in from a source forgets that source's failures.</summary>
    public void Succeeded(string email, IPAddress? source) => bySource.TryRemove(Key(email, source), out _);

    /// <summary>Until when some source is locked out of this account (the Users page shows it), or null.</summary>
    public DateTime? BlockedUntil(string email)
    {
        var now = clock.GetUtcNow();
        var account = Normalize(email);
        var until = bySource.Where(p => p.Key.Account == account).Select(p => p.Value.BlockedUntil).Where(b => b > now).Max();
        return until?.UtcDateTime;
    }

    /// <summary>An Admin's unlock: every source may try again, without delay.</summary>
    public void Clear(string email)
    {
        var account = Normalize(email);
        foreach (var key in bySource.Keys.Where(k => k.Account == account))
        {
            bySource.TryRemove(key, out _);
        }
        byAccount.TryRemove(account, out _);
    }

    private static int Recent(Record r, DateTimeOffset now)
    {
        r.Failures.RemoveAll(t => now - t > Window);
        return r.Failures.Count;
    }

    private static T Locked<T>(Record r, Func<T> action)
    {
        lock (r)
        {
            return action();
        }
    }

    private static (string, string) Key(string email, IPAddress? source) => (Normalize(email), source?.ToString() ?? "unknown");

    private static string Normalize(string email) => email.Trim().ToUpperInvariant();
}

/// <summary>
/// The sign-in form's password check. Every attempt does the same work, whether the account exists, the source is
/// locked out or the password is wrong: one password hash is verified (a stand-in hash for an unknown address), so
/// neither the answer nor its time tells which accounts exist. A locked-out source is refused even with the right
/// password; a disabled account is named only to someone who knows its password.
/// </summary>
public sealed class SignInGate(
    SignInManager<ApplicationUser> signInManager,
    UserManager<ApplicationUser> userManager,
    IPasswordHasher<ApplicationUser> hasher,
    SignInThrottle throttle,
    TimeProvider clock)
{
    private static readonly ApplicationUser StandIn = new() { UserName = "stand-in", Email = "stand-in" };
    private static string? standInHash;

    public async Task<SignInResult> PasswordSignInAsync(string email, string password, bool remember, IPAddress? source)
    {
        email = email.Trim();
        if (throttle.DelayFor(email) is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, clock);
        }
        var user = await userManager.FindByEmailAsync(email);
        bool passwordOk;
        if (user is null)
        {
            // As slow as checking a real password: an unknown address must not answer faster than a known one.
            hasher.VerifyHashedPassword(StandIn, standInHash ??= hasher.HashPassword(StandIn, Guid.NewGuid().ToString("N")), password);
            passwordOk = false;
        }
        else
        {
            passwordOk = await userManager.CheckPasswordAsync(user, password);
        }
        if (throttle.IsBlocked(email, source))
        {
            return SignInResult.LockedOut;
        }
        if (!passwordOk)
        {
            throttle.Failed(email, source);
            return throttle.IsBlocked(email, source) ? SignInResult.LockedOut : SignInResult.Failed;
        }
        throttle.Succeeded(email, source);
        // The password is known good; Identity's own lockout stays off: it would lock the account for every source.
        return await signInManager.PasswordSignInAsync(user!, password, remember, lockoutOnFailure: false);
    }
}
