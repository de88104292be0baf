using System.Net;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// Sign-in answers and work do not tell which accounts exist or are locked, and a stranger cannot lock an account's
/// owner out: failures lock out the source that made them. Sources are told apart by X-Forwarded-For (this portal
/// believes it, as it would behind a load balancer); the password hasher counts the hashes each attempt verifies.
/// </summary>
public class SignInHardeningTests(SignInHardeningTests.Portal portal) : IClassFixture<SignInHardeningTests.Portal>
{
    [Fact]
    public async Task An_unknown_address_answers_like_a_known_one_with_the_same_work_before_and_after_a_lockout()
    {
        using var client = ClientFrom("203.0.113.10");
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@demo.local";

        var firstKnown = await AttemptAsync(client, "cs@demo.local", "wrong password 1");
        var firstUnknown = await AttemptAsync(client, unknown, "wrong password 1");
        for (var i = 2; i <= 5; i++)
        {
            await AttemptAsync(client, "cs@demo.local", "wrong password " + i);
            await AttemptAsync(client, unknown, "wrong password " + i);
        }
        var lockedKnown = await AttemptAsync(client, "cs@demo.local", PortalFactory.DemoPassword);
        var lockedUnknown = await AttemptAsync(client, unknown, PortalFactory.DemoPassword);

        Assert.Equal(firstKnown.Message, firstUnknown.Message);
        Assert.Equal(firstKnown.Hashes, firstUnknown.Hashes);
        Assert.Equal(lockedKnown.Message, lockedUnknown.Message);
        Assert.Equal(lockedKnown.Hashes, lockedUnknown.Hashes);
        Assert.NotEqual(firstKnown.Message, lockedKnown.Message);
    }

    [Fact]
    public async Task A_stranger_locks_out_only_their_own_address_and_the_owner_still_signs_in_from_theirs()
    {
        using var stranger = ClientFrom("198.51.100.7");
        using var owner = ClientFrom("192.0.2.44");
        for (var i = 1; i <= 6; i++)
        {
            await AttemptAsync(stranger, "ops@demo.local", "guess " + i);
        }

        var strangerWithThePassword = await PortalSession.PostLoginAsync(stranger, "ops@demo.local", PortalFactory.DemoPassword);
        var ownerWithThePassword = await PortalSession.PostLoginAsync(owner, "ops@demo.local", PortalFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, strangerWithThePassword.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await strangerWithThePassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, ownerWithThePassword.StatusCode);
    }

    [Fact]
    public void Failures_spread_over_many_addresses_slow_the_account_down_and_never_lock_it()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SignInThrottle(clock);
        for (var i = 1; i <= 12; i++)
        {
            throttle.Failed("owner@x.local", IPAddress.Parse($"198.51.100.{i}"));
        }

        Assert.Equal(TimeSpan.FromSeconds(4), throttle.DelayFor("owner@x.local"));
        Assert.False(throttle.IsBlocked("owner@x.local", IPAddress.Parse("192.0.2.1")));
        clock.Advance(SignInThrottle.Window + TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor("owner@x.local"));
    }

    private HttpClient ClientFrom(string address)
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    private async Task<(string Message, int Hashes)> AttemptAsync(HttpClient client, string email, string password)
    {
        var before = portal.Hasher.Verified;
        var response = await PortalSession.PostLoginAsync(client, email, password);
        var hashes = portal.Hasher.Verified - before;
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var start = html.IndexOf("data-testid=\"login-error\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no sign-in error for {email}: {(int)response.StatusCode}");
        var text = html[(start + "data-testid=\"login-error\">".Length)..];
        return (text[..text.IndexOf('<', StringComparison.Ordinal)], hashes);
    }

    /// <summary>A portal that believes X-Forwarded-For and counts verified password hashes.</summary>
    public sealed class Portal : IAsyncLifetime
    {
        public ClockedPortal Factory { get; } = new(
            overrides: new Dictionary<string, string?> { ["Proxy:ForwardedHeaders"] = "true" },
            services: s =>
            {
                s.AddSingleton<CountingHasher>();
                s.AddScoped<IPasswordHasher<ApplicationUser>>(sp => sp.GetRequiredService<CountingHasher>());
            });

        public CountingHasher Hasher => Factory.GetService<CountingHasher>();

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    /// <summary>Identity's hasher, counting the password hashes it verifies (the costly step of a sign-in).</summary>
    public sealed class CountingHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> inner = new(options);
        private int verified;

        public int Verified => Volatile.Read(ref verified);

        public string HashPassword(ApplicationUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verified);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
