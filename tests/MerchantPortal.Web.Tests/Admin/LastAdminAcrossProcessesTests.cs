using System.Data.Common;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Account;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>
/// Two portal instances on one database (as behind a load balancer): each has its own in-process lock, so only
/// the database can stop two Admins demoting each other at the same moment. Left to real timing the race almost
/// never happens (the test passed with the unguarded code), so a rendezvous forces it: each demotion,
/// once it has counted the other Admins, waits until the other demotion has counted too. The only way past that
/// wait without both having counted is the database itself holding the other demotion back: it asked for a
/// transaction (which on SQLite is BEGIN IMMEDIATE, one writer at a time, so it cannot count before this one ends)
/// or it has already finished. On PostgreSQL both count inside their serializable transactions and both write: the
/// engine's serialization check must then fail one of them (run by `./portal test` on PostgreSQL).
/// </summary>
[Trait("Database", TestDatabase.ServerTrait)]
public sealed class LastAdminAcrossProcessesTests : IAsyncLifetime
{
    private readonly RendezvousPortal first = new();
    private RendezvousPortal second = null!;

    public Task InitializeAsync()
    {
        first.Start();
        second = new RendezvousPortal(first.DataDirectory);
        second.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Two_demotions_that_both_counted_two_Admins_on_two_instances_leave_one_active_Admin()
    {
        var invited = await AccountForms.InviteAsync(first, "other-admin@test.local", Roles.Admin);
        await AccountForms.AcceptAsync(first, invited.Link);
        var admin = (await first.GetService<UserAdminService>().ListAsync()).Single(u => u.Email == "admin@demo.local");

        // A few rounds, so the guard also holds after a reset (and whichever instance wins the database's lock).
        for (var round = 0; round < 3; round++)
        {
            var (a, b) = Party.NewRound();
            var results = await Task.WhenAll(
                DemoteAsync(first, a, admin.Id),
                DemoteAsync(second, b, invited.UserId));

            var admins = (await first.GetService<UserAdminService>().ListAsync()).Where(u => u.Role == Roles.Admin && u.Status == UserStatus.Active).ToList();
            Assert.True(admins.Count == 1, $"round {round}: {admins.Count} active Admins left ({results[0].Error}, {results[1].Error})");
            Assert.Equal(1, results.Count(r => r.Succeeded));
            Assert.Contains(results, r => r.Error is UserAdminError.LastActiveAdmin or UserAdminError.ConcurrentChange);

            // Back to two Admins for the next round (outside any party: the rendezvous ignores it).
            var demoted = admins[0].Id == admin.Id ? invited.UserId : admin.Id;
            Assert.True((await first.GetService<UserAdminService>().ChangeRoleAsync(demoted, Roles.Admin, "reset")).Succeeded);
        }
    }

    private static async Task<UserAdminResult> DemoteAsync(PortalFactory portal, Party party, string userId)
    {
        // Set here, the party flows into the service's awaits (and EF's interceptor calls) of this call only, so
        // background jobs on the same instance and the reset between rounds never touch the rendezvous.
        Party.Current.Value = party;
        try
        {
            return await portal.GetService<UserAdminService>().ChangeRoleAsync(userId, Roles.Ops, party.Name);
        }
        finally
        {
            party.Finished.TrySetResult();
        }
    }

    /// <summary>One demotion of a round: what it has reached so far, as latches the other demotion can wait on.</summary>
    private sealed class Party(string name)
    {
        public static readonly AsyncLocal<Party?> Current = new();

        public string Name { get; } = name;
        public Party Other { get; set; } = null!;
        public TaskCompletionSource Counted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource AskedForTransaction { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static (Party A, Party B) NewRound()
        {
            var a = new Party("first");
            var b = new Party("second");
            a.Other = b;
            b.Other = a;
            return (a, b);
        }
    }

    /// <summary>The rendezvous: holds a demotion between "counted the Admins" and its first write until the other demotion may not count.</summary>
    private sealed class RendezvousCheckpoints : UserAdminCheckpoints
    {
        public override async ValueTask AdminsCountedAsync(string userId, CancellationToken ct)
        {
            if (Party.Current.Value is not { } party)
            {
                return;
            }
            party.Counted.TrySetResult();
            var other = party.Other;
            // The bound is only a safety net so a broken guard fails the test instead of hanging it; in a correct run
            // one of the three latches opens within milliseconds.
            await Task.WhenAny(other.Counted.Task, other.AskedForTransaction.Task, other.Finished.Task)
                .WaitAsync(TimeSpan.FromMinutes(1), ct);
        }
    }

    /// <summary>Notes when a party's call asks the database for a transaction (before SQLite makes it wait).</summary>
    private sealed class TransactionProbe : DbTransactionInterceptor
    {
        public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
        {
            Party.Current.Value?.AskedForTransaction.TrySetResult();
            return result;
        }

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Party.Current.Value?.AskedForTransaction.TrySetResult();
            return ValueTask.FromResult(result);
        }
    }

    /// <summary>A portal whose last-Admin checkpoint is the rendezvous and whose database calls report transactions.</summary>
    private sealed class RendezvousPortal(string? dataDirectory = null) : PortalFactory(dataDirectory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton<UserAdminCheckpoints, RendezvousCheckpoints>();
                s.ConfigureDbContext<SqlitePortalDbContext>(o => o.AddInterceptors(new TransactionProbe()));
                s.ConfigureDbContext<PostgreSqlPortalDbContext>(o => o.AddInterceptors(new TransactionProbe()));
                s.ConfigureDbContext<SqlServerPortalDbContext>(o => o.AddInterceptors(new TransactionProbe()));
            });
        }
    }
}
