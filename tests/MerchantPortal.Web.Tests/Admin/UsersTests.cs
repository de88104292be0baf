using System.Net;
using MerchantPortal.Web.Components.Account;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Account;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Admin;

[Collection(SharedPortal.Name)]
public class UsersTests(SharedPortal portal)
{
    private PortalFactory Factory => portal.Factory;
    private UserAdminService Users => Factory.GetService<UserAdminService>();

    [Fact]
    public async Task An_invited_user_sets_a_password_with_the_link_is_signed_in_and_can_sign_in_again()
    {
        var email = $"new-{Guid.NewGuid():N}@test.local";
        var invitation = await AccountForms.InviteAsync(Factory, email, Roles.Ops);
        Assert.StartsWith("/Account/AcceptInvite?userId=", invitation.Link);
        Assert.Equal(UserStatus.Invited, (await Users.ListAsync()).Single(u => u.Id == invitation.UserId).Status);

        var (client, accepted) = await AccountForms.AcceptAsync(Factory, invitation.Link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders/import")).StatusCode);

        using var again = await PortalSession.SignInAsync(Factory, email, AccountForms.NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/orders")).StatusCode);
        Assert.Equal(UserStatus.Active, (await Users.ListAsync()).Single(u => u.Id == invitation.UserId).Status);
    }

    [Fact]
    public async Task An_invitation_link_works_once()
    {
        var invitation = await AccountForms.InviteAsync(Factory, $"once-{Guid.NewGuid():N}@test.local", Roles.CustomerService);
        var (_, first) = await AccountForms.AcceptAsync(Factory, invitation.Link);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        using var other = Factory.CreateBrowserLikeClient();
        var page = await AccountForms.ReadAsync(await other.GetAsync(invitation.Link));
        Assert.Contains("data-testid=\"invite-invalid\"", page);
        Assert.DoesNotContain("Input.Password", page);
    }

    [Fact]
    public async Task A_new_invitation_link_voids_the_earlier_one()
    {
        var first = await AccountForms.InviteAsync(Factory, $"again-{Guid.NewGuid():N}@test.local", Roles.CustomerService);
        var (result, second) = await Users.ReinviteAsync(first.UserId, "test");
        Assert.True(result.Succeeded);

        using var client = Factory.CreateBrowserLikeClient();
        Assert.Contains("invite-invalid", await AccountForms.ReadAsync(await client.GetAsync(first.Link)));
        var (_, accepted) = await AccountForms.AcceptAsync(Factory, second!.Link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(UserAdminError.AlreadyAccepted, (await Users.ReinviteAsync(first.UserId, "test")).Result.Error);
    }

    [Fact]
    public async Task A_forged_or_truncated_code_is_refused()
    {
        var invitation = await AccountForms.InviteAsync(Factory, $"forged-{Guid.NewGuid():N}@test.local", Roles.Ops);
        using var client = Factory.CreateBrowserLikeClient();
        Assert.Contains("invite-invalid", await AccountForms.ReadAsync(await client.GetAsync(invitation.Link[..^6])));
        Assert.Contains("invite-invalid", await AccountForms.ReadAsync(await client.GetAsync($"/Account/AcceptInvite?userId={invitation.UserId}&code=%%%")));
        Assert.Contains("invite-invalid", await AccountForms.ReadAsync(await client.GetAsync("/Account/AcceptInvite")));
    }

    [Fact]
    public void Invitation_links_last_three_days()
    {
        var options = Factory.GetService<Microsoft.Extensions.Options.IOptions<DataProtectionTokenProviderOptions>>().Value;
        Assert.Equal(TimeSpan.FromDays(3), options.TokenLifespan);
    }

    [Fact]
    public async Task A_password_shorter_than_twelve_characters_or_not_repeated_is_refused_on_the_invitation_page()
    {
        var invitation = await AccountForms.InviteAsync(Factory, $"short-{Guid.NewGuid():N}@test.local", Roles.Ops);
        var (_, tooShort) = await AccountForms.AcceptAsync(Factory, invitation.Link, "elevenchars");
        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        Assert.Contains("data-testid=\"invite-error\"", await tooShort.Content.ReadAsStringAsync());

        using var client = Factory.CreateBrowserLikeClient();
        var mismatch = await AccountForms.PostAsync(client, invitation.Link, "accept-invite", new Dictionary<string, string>
        {
            ["Input.Password"] = AccountForms.NewPassword,
            ["Input.ConfirmPassword"] = AccountForms.NewPassword + "x",
        });
        Assert.Contains("data-testid=\"invite-error\"", await mismatch.Content.ReadAsStringAsync());
        Assert.Equal(UserStatus.Invited, (await Users.ListAsync()).Single(u => u.Id == invitation.UserId).Status);
    }

    [Fact]
    public async Task Inviting_a_duplicate_or_invalid_email_a_blank_name_or_an_unknown_role_is_refused()
    {
        Assert.Equal(UserAdminError.DuplicateEmail, (await Users.InviteAsync("ops@demo.local", "Again", Roles.Ops, "test")).Result.Error);
        Assert.Equal(UserAdminError.DuplicateEmail, (await Users.InviteAsync("OPS@demo.local", "Again", Roles.Ops, "test")).Result.Error);
        Assert.Equal(UserAdminError.InvalidEmail, (await Users.InviteAsync("not-an-email", "Name", Roles.Ops, "test")).Result.Error);
        Assert.Equal(UserAdminError.InvalidEmail, (await Users.InviteAsync(new string('a', 250) + "@x.local", "Name", Roles.Ops, "test")).Result.Error);
        Assert.Equal(UserAdminError.InvalidDisplayName, (await Users.InviteAsync($"n-{Guid.NewGuid():N}@test.local", " ", Roles.Ops, "test")).Result.Error);
        Assert.Equal(UserAdminError.InvalidRole, (await Users.InviteAsync($"r-{Guid.NewGuid():N}@test.local", "Name", "Root", "test")).Result.Error);
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_session_at_the_next_request_and_refuses_sign_in_until_enabled()
    {
        var (userId, client) = await AccountForms.NewSignedInUserAsync(Factory, Roles.Ops);
        var email = (await Users.ListAsync()).Single(u => u.Id == userId).Email;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders")).StatusCode);

        Assert.True((await Users.DisableAsync(userId, "test", actorUserId: null)).Succeeded);
        Assert.True(AccountForms.IsSentToLogin(await client.GetAsync("/orders")));
        using var again = Factory.CreateBrowserLikeClient();
        var refused = await PortalSession.PostLoginAsync(again, email, AccountForms.NewPassword);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("login-error", await refused.Content.ReadAsStringAsync());
        Assert.Equal(UserStatus.Disabled, (await Users.ListAsync()).Single(u => u.Id == userId).Status);

        Assert.True((await Users.EnableAsync(userId, "test")).Succeeded);
        using var back = await PortalSession.SignInAsync(Factory, email, AccountForms.NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/orders")).StatusCode);
    }

    [Fact]
    public async Task An_open_circuit_of_a_disabled_or_demoted_user_fails_its_next_revalidation()
    {
        var invitation = await AccountForms.InviteAsync(Factory, $"circuit-{Guid.NewGuid():N}@test.local", Roles.Ops);
        await AccountForms.AcceptAsync(Factory, invitation.Link);
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var circuit = await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(invitation.UserId))!);
        Assert.True(await provider.ValidateSecurityStampAsync(users, circuit));

        Assert.True((await Users.ChangeRoleAsync(invitation.UserId, Roles.CustomerService, "test")).Succeeded);
        Assert.False(await FreshCheckAsync(circuit));
        circuit = await PrincipalAsync(invitation.UserId);
        Assert.True(await FreshCheckAsync(circuit));

        Assert.True((await Users.DisableAsync(invitation.UserId, "test", actorUserId: null)).Succeeded);
        Assert.False(await FreshCheckAsync(circuit));
        Assert.Equal(TimeSpan.FromMinutes(1), RevalidationInterval(provider));
    }

    [Fact]
    public async Task An_Ops_demoted_to_CustomerService_is_refused_the_import_page_at_the_next_request_without_signing_in_again()
    {
        var (userId, client) = await AccountForms.NewSignedInUserAsync(Factory, Roles.Ops);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders/import")).StatusCode);

        Assert.True((await Users.ChangeRoleAsync(userId, Roles.CustomerService, "test")).Succeeded);
        Assert.True(AccountForms.IsRefused(await client.GetAsync("/orders/import")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders")).StatusCode);
        Assert.Equal(Roles.CustomerService, (await Users.ListAsync()).Single(u => u.Id == userId).Role);

        Assert.True((await Users.ChangeRoleAsync(userId, Roles.Ops, "test")).Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders/import")).StatusCode);
        Assert.Equal(UserAdminError.InvalidRole, (await Users.ChangeRoleAsync(userId, "Root", "test")).Error);
    }

    [Fact]
    public async Task Resetting_two_factor_turns_it_off_replaces_the_key_voids_recovery_codes_and_ends_sessions()
    {
        var (userId, client) = await AccountForms.NewSignedInUserAsync(Factory, Roles.Ops);
        string oldKey;
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            oldKey = (await users.GetAuthenticatorKeyAsync(user))!;
        }
        Assert.True((await Users.ListAsync()).Single(u => u.Id == userId).TwoFactorEnabled);

        Assert.True((await Users.ResetTwoFactorAsync(userId, "test")).Succeeded);

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            Assert.False(await users.GetTwoFactorEnabledAsync(user));
            Assert.NotEqual(oldKey, await users.GetAuthenticatorKeyAsync(user));
            Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
        }
        Assert.True(AccountForms.IsSentToLogin(await client.GetAsync("/orders")));
    }

    [Fact]
    public async Task Unlocking_ends_a_lockout()
    {
        var (userId, _) = await AccountForms.NewSignedInUserAsync(Factory, Roles.CustomerService);
        var email = (await Users.ListAsync()).Single(u => u.Id == userId).Email;
        using var client = Factory.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
        {
            await PortalSession.PostLoginAsync(client, email, "wrong password " + i);
        }
        Assert.NotNull((await Users.ListAsync()).Single(u => u.Id == userId).LockedOutUntilUtc);

        Assert.True((await Users.UnlockAsync(userId, "test")).Succeeded);
        Assert.Null((await Users.ListAsync()).Single(u => u.Id == userId).LockedOutUntilUtc);
        using var signedIn = await PortalSession.SignInAsync(Factory, email, AccountForms.NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/orders")).StatusCode);
    }

    [Fact]
    public async Task Every_action_is_audited_with_who_did_it()
    {
        var invitation = await AccountForms.InviteAsync(Factory, $"audit-{Guid.NewGuid():N}@test.local", Roles.Ops);
        await AccountForms.AcceptAsync(Factory, invitation.Link);
        var actor = "auditor-" + Guid.NewGuid().ToString("N")[..6];
        await Users.ChangeRoleAsync(invitation.UserId, Roles.CustomerService, actor);
        await Users.DisableAsync(invitation.UserId, actor, null);
        await Users.EnableAsync(invitation.UserId, actor);
        await Users.UnlockAsync(invitation.UserId, actor);
        await Users.ResetTwoFactorAsync(invitation.UserId, actor);

        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var actions = await db.Set<AuditEntry>().Where(a => a.EntityId == invitation.UserId).Select(a => new { a.Action, a.Actor }).ToListAsync();
        Assert.Contains(actions, a => a.Action == "User.Invited");
        Assert.Contains(actions, a => a.Action == "User.InvitationAccepted");
        foreach (var action in new[] { "User.RoleChanged", "User.Disabled", "User.Enabled", "User.Unlocked", "User.TwoFactorReset" })
        {
            Assert.Contains(actions, a => a.Action == action && a.Actor == actor);
        }
    }

    [Fact]
    public async Task The_list_shows_email_name_role_status_two_factor_and_creation()
    {
        var rows = await Users.ListAsync();
        var admin = rows.Single(u => u.Email == "admin@demo.local");
        Assert.Equal(Roles.Admin, admin.Role);
        Assert.Equal(UserStatus.Active, admin.Status);
        Assert.False(string.IsNullOrEmpty(admin.DisplayName));
        Assert.NotEqual(default, admin.CreatedAtUtc);
        Assert.Equal(Roles.CustomerService, rows.Single(u => u.Email == "cs@demo.local").Role);
    }

    [Fact]
    public async Task The_users_page_lists_the_users_for_an_Admin()
    {
        using var admin = await PortalSession.SignInAsync(Factory, "admin@demo.local");
        var page = await AccountForms.ReadAsync(await admin.GetAsync("/admin/users"));
        Assert.Contains("data-testid=\"user-table\"", page);
        Assert.Contains("ops@demo.local", page);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync((await users.FindByIdAsync(userId))!);
    }

    private async Task<bool> FreshCheckAsync(System.Security.Claims.ClaimsPrincipal circuit)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        return await provider.ValidateSecurityStampAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>(), circuit);
    }

    private static TimeSpan RevalidationInterval(IdentityRevalidatingAuthenticationStateProvider provider) =>
        (TimeSpan)typeof(IdentityRevalidatingAuthenticationStateProvider)
            .GetProperty("RevalidationInterval", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(provider)!;
}
