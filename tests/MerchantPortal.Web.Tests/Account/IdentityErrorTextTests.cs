using System.Globalization;
using System.Reflection;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Account;

/// <summary>Identity's own refusals (password rules, duplicates, bad tokens) speak the reader's language.</summary>
[Collection(SharedPortal.Name)]
public class IdentityErrorTextTests(SharedPortal portal)
{
    [Theory]
    [InlineData("en", "Passwords must be at least 12 characters.")]
    [InlineData("zh-CN", "密码至少需要 12 个字符。")]
    public async Task A_too_short_password_is_refused_in_the_readers_language(string culture, string expected)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var email = $"short-{culture}-{Guid.NewGuid():N}@test.local";
            var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, CreatedAtUtc = DateTime.UtcNow }, "short");
            Assert.False(result.Succeeded);
            var error = Assert.Single(result.Errors, e => e.Code == nameof(IdentityErrorDescriber.PasswordTooShort));
            Assert.Equal(expected, error.Description);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [InlineData("en", "is already taken")]
    [InlineData("zh-CN", "已被使用")]
    public async Task A_duplicate_email_is_refused_in_the_readers_language(string culture, string expected)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var result = await users.CreateAsync(new ApplicationUser { UserName = "dup-" + Guid.NewGuid().ToString("N"), Email = "ops@demo.local", CreatedAtUtc = DateTime.UtcNow });
            Assert.Contains(result.Errors, e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail) && e.Description.Contains(expected, StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Every_Identity_error_text_is_overridden_so_none_stays_English_only()
    {
        var notOverridden = typeof(IdentityErrorDescriber).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsVirtual && m.ReturnType == typeof(IdentityError))
            .Where(m => typeof(LocalizedIdentityErrorDescriber).GetMethod(m.Name, m.GetParameters().Select(p => p.ParameterType).ToArray())!.DeclaringType != typeof(LocalizedIdentityErrorDescriber))
            .Select(m => m.Name)
            .ToList();
        Assert.True(notOverridden.Count == 0, "Not localized: " + string.Join(", ", notOverridden));
        Assert.IsType<LocalizedIdentityErrorDescriber>(portal.Factory.Services.CreateScope().ServiceProvider.GetRequiredService<IdentityErrorDescriber>());
    }
}
