using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Account;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>Own portal: these tests change who is Admin, which the shared portal's other tests rely on.</summary>
public sealed class UsersLastAdminTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    private UserAdminService Users => factory.GetService<UserAdminService>();

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_last_active_Admin_cannot_be_demoted_or_disabled_and_an_Admin_cannot_disable_themself()
    {
        var admin = (await Users.ListAsync()).Single(u => u.Email == "admin@demo.local");
        Assert.Equal(UserAdminError.LastActiveAdmin, (await Users.ChangeRoleAsync(admin.Id, Roles.Ops, "test")).Error);
        Assert.Equal(UserAdminError.LastActiveAdmin, (await Users.DisableAsync(admin.Id, "test", actorUserId: null)).Error);
        Assert.Equal(UserAdminError.CannotDisableSelf, (await Users.DisableAsync(admin.Id, "admin@demo.local", actorUserId: admin.Id)).Error);

        // An invited Admin who has not set a password yet is not an active Admin.
        var second = await AccountForms.InviteAsync(factory, "second-admin@test.local", Roles.Admin);
        Assert.Equal(UserAdminError.LastActiveAdmin, (await Users.ChangeRoleAsync(admin.Id, Roles.Ops, "test")).Error);
        await AccountForms.AcceptAsync(factory, second.Link);

        Assert.True((await Users.ChangeRoleAsync(admin.Id, Roles.Ops, "test")).Succeeded);
        Assert.Equal(UserAdminError.LastActiveAdmin, (await Users.ChangeRoleAsync(second.UserId, Roles.Ops, "test")).Error);
        Assert.Equal(UserAdminError.CannotDisableSelf, (await Users.DisableAsync(second.UserId, "second", actorUserId: second.UserId)).Error);
        Assert.Equal(Roles.Admin, (await Users.ListAsync()).Single(u => u.Id == second.UserId).Role);
    }

    [Fact]
    public async Task The_users_API_lists_invites_changes_roles_disables_enables_and_resets_two_factor()
    {
        using var api = factory.CreateApiClient();
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("email").GetString() == "ops@demo.local" && u.GetProperty("role").GetString() == Roles.Ops);

        var invited = await api.PostAsJsonAsync("/api/v1/users", new { email = "api-user@test.local", displayName = "API user", role = Roles.Ops });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("userId").GetString()!;
        var link = new Uri(body.GetProperty("invitationLink").GetString()!);
        Assert.Equal(factory.BaseAddress.Authority, link.Authority);
        var (client, accepted) = await AccountForms.AcceptAsync(factory, link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var duplicate = await api.PostAsJsonAsync("/api/v1/users", new { email = "api-user@test.local", displayName = "Again", role = Roles.Ops });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var invalid = await api.PostAsJsonAsync("/api/v1/users", new { email = "nope", displayName = "Bad", role = Roles.Ops });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("email", await invalid.Content.ReadAsStringAsync());
        var badRole = await api.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "Root" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = Roles.CustomerService })).StatusCode);
        Assert.True(AccountForms.IsRefused(await client.GetAsync("/orders/import")));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/users/{id}/disable", null)).StatusCode);
        Assert.True(AccountForms.IsSentToLogin(await client.GetAsync("/orders")));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/users/{id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/users/{id}/reset-2fa", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/users/no-such-user/disable", null)).StatusCode);

        var admin = (await Users.ListAsync()).Single(u => u.Email == "admin@demo.local");
        var lastAdmin = await api.PutAsJsonAsync($"/api/v1/users/{admin.Id}/role", new { role = Roles.Ops });
        Assert.Equal(HttpStatusCode.Conflict, lastAdmin.StatusCode);
        Assert.Contains("last active Admin", await lastAdmin.Content.ReadAsStringAsync());
    }
}
