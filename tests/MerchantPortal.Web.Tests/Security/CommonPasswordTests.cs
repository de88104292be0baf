using MerchantPortal.Web.Data;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>ASVS 2.1.7: twelve characters are not enough when they are a common or breached password.</summary>
[Collection(SharedPortal.Name)]
public class CommonPasswordTests(SharedPortal portal)
{
    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("password1234")]
    [InlineData("Password1234")]
    [InlineData("123456789012")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("woaini1314520")]
    [InlineData("abcabcabcabc")]
    public async Task A_common_password_is_refused_whatever_its_length(string password)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = "common-" + Guid.NewGuid().ToString("N")[..8] + "@x.local";

        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email }, password);

        Assert.False(result.Succeeded, $"{password} was accepted");
        Assert.Contains(result.Errors, e => e.Code == "CommonPassword");
    }

    [Fact]
    public async Task A_passphrase_of_unrelated_words_is_accepted()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = "phrase-" + Guid.NewGuid().ToString("N")[..8] + "@x.local";

        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email }, "lantern quietly orbits tea");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
