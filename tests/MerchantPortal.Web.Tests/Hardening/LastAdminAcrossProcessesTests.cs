using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Account;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Hardening;

/// <summary>
/// Two portal instances on one database (as behind a load balancer): each has its own in-process lock, so only
/// the database can stop two Admins demoting each other at the same moment.
/// </summary>
public sealed class LastAdminAcrossProcessesTests : IAsyncLifetime
{
    private readonly PortalFactory first = new();
    private PortalFactory second = null!;

    public Task InitializeAsync()
    {
        first.Start();
        second = new PortalFactory(first.DataDirectory);
        second.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Two_concurrent_demotions_on_two_instances_leave_one_active_Admin()
    {
        var invited = await AccountForms.InviteAsync(first, "other-admin@test.local", Roles.Admin);
        await AccountForms.AcceptAsync(first, invited.Link);
        var admin = (await first.GetService<UserAdminService>().ListAsync()).Single(u => u.Email == "admin@demo.local");

        // Several rounds: each round both Admins are demoted at once, one on each instance.
        for (var round = 0; round < 6; round++)
        {
            var a = first.GetService<UserAdminService>().ChangeRoleAsync(admin.Id, Roles.Ops, "first");
            var b = second.GetService<UserAdminService>().ChangeRoleAsync(invited.UserId, Roles.Ops, "second");
            var results = await Task.WhenAll(a, b);

            var admins = (await first.GetService<UserAdminService>().ListAsync()).Where(u => u.Role == Roles.Admin && u.Status == UserStatus.Active).ToList();
            Assert.True(admins.Count == 1, $"round {round}: {admins.Count} active Admins left ({results[0].Error}, {results[1].Error})");
            Assert.Equal(1, results.Count(r => r.Succeeded));
            Assert.Contains(results, r => r.Error is UserAdminError.LastActiveAdmin or UserAdminError.Failed);

            // Back to two Admins for the next round.
            var demoted = admins[0].Id == admin.Id ? invited.UserId : admin.Id;
            Assert.True((await first.GetService<UserAdminService>().ChangeRoleAsync(demoted, Roles.Admin, "reset")).Succeeded);
        }
    }
}
