using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>
/// POST /api/v1/users/{id}/invitation: the users page's "new link", over real HTTP. A portal of its own, since it adds a user.
/// </summary>
public class ReinviteApiTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    [Fact]
    public async Task A_new_invitation_link_replaces_the_first_and_is_refused_once_the_user_has_a_password()
    {
        using var api = P.CreateApiClient();
        var invited = await api.PostAsJsonAsync("/api/v1/users", new { email = "late-joiner@test.local", displayName = "Late Joiner", role = Roles.CustomerService });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var first = (await invited.Content.ReadFromJsonAsync<UserEndpoints.InvitationResponse>())!;

        var again = await api.PostAsync($"/api/v1/users/{first.UserId}/invitation", null);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = (await again.Content.ReadFromJsonAsync<UserEndpoints.InvitationResponse>())!;
        Assert.Equal(first.UserId, second.UserId);
        Assert.NotEqual(first.InvitationLink, second.InvitationLink);
        Assert.StartsWith(P.BaseAddress.ToString().TrimEnd('/'), second.InvitationLink, StringComparison.Ordinal);
        await using (var db = await P.DbAsync())
        {
            Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "User.Reinvited" && a.EntityId == first.UserId));
        }

        var admin = (await P.GetService<UserAdminService>().ListAsync()).Single(u => u.Email == "admin@demo.local");
        var accepted = await api.PostAsync($"/api/v1/users/{admin.Id}/invitation", null);
        Assert.Equal(HttpStatusCode.Conflict, accepted.StatusCode);
        Assert.Contains("already accepted", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await api.PostAsync("/api/v1/users/no-such-user/invitation", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_admin_scope_cannot_get_a_new_invitation_link()
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("ops system", [.. ApiScopes.All.Where(s => s != ApiScopes.Admin)], "test");
        using var api = P.CreateApiClient(key.Key);
        var user = (await P.GetService<UserAdminService>().ListAsync()).First();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/users/{user.Id}/invitation", null)).StatusCode);
    }
}
