using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.AspNetCore.Identity;

namespace MerchantPortal.Web.Data.DemoData;

/// <summary>The three demo users and the demo API key (Development only).</summary>
public sealed class DemoUsersSeeder(IServiceScopeFactory scopes, ApiKeyService apiKeys, TimeProvider clock) : IDemoDataSeeder
{
    public int Order => 0;

    public async Task SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Password))
        {
            throw new InvalidOperationException("DemoData:Password is not set: demo users need a password from configuration.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var (email, role, name) in DemoDataOptions.Users)
        {
            if (await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }
            var user = new ApplicationUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = name,
                CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, options.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo user {email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
            await users.AddToRoleAsync(user, role);
        }
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            await apiKeys.EnsureKeyAsync("演示密钥（全部权限）", options.ApiKey, ApiScopes.All, "system", ct);
        }
    }
}
