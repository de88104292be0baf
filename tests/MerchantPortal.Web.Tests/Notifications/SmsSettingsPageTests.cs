using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications.Stubs;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// The settings page's "test connection" (bUnit, the real services of a portal whose Alibaba Cloud endpoint is the local
/// stub): a wrong secret and a wrong key id are each named in the reader's language, a right pair says connected.
/// </summary>
public class SmsSettingsPageTests : BunitTestBase, IAsyncDisposable
{
    private readonly AliyunSmsStub stub;
    private readonly ClockedPortal portal;

    public SmsSettingsPageTests()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        stub = new AliyunSmsStub(new Dictionary<string, string> { ["LTAI5tPageKey"] = "page-secret" }, clock.GetUtcNow);
        portal = new ClockedPortal(overrides: new Dictionary<string, string?> { ["Notifications:Sms:AliyunEndpoint"] = stub.BaseUrl });
        portal.Start();
    }

    private Task SaveAsync(string keyId, string secret) =>
        portal.GetService<SmsProviders>().SaveAsync(new SmsProviderInput(SmsProviderKind.Aliyun, keyId, secret, "好物商城", null, null), "admin@demo.local");

    // Synchronous: the culture set here must stay the test's own for the click that follows.
    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.GetService<SmsProviders>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Web.Infrastructure.Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<SmsSettingsPage>());
    }

    private static string TestConnection(IRenderedComponent<CascadingAuthenticationState> page)
    {
        page.WaitForElement("[data-testid=sms-test]").Click();
        return page.WaitForElement("[data-testid=sms-test-result]").TextContent.Trim();
    }

    [Fact]
    public async Task A_wrong_secret_is_named_in_Chinese()
    {
        await SaveAsync("LTAI5tPageKey", "not-the-secret");
        var page = Render("zh-CN");
        Assert.Equal("服务商拒绝了签名：密钥不正确（SignatureDoesNotMatch）。", TestConnection(page));
        Assert.DoesNotContain("not-the-secret", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_id_is_named_in_English()
    {
        await SaveAsync("LTAI-unknown", "page-secret");
        var page = Render("en");
        Assert.Equal("The provider does not know this key ID (InvalidAccessKeyId.NotFound).", TestConnection(page));
    }

    [Fact]
    public async Task The_right_credentials_connect()
    {
        await SaveAsync("LTAI5tPageKey", "page-secret");
        var page = Render("en");
        Assert.Equal("Connected: the provider accepted a signed request with these credentials.", TestConnection(page));
        Assert.All(stub.Calls, r => Assert.True(r.Verified));
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await portal.DisposeAsync();
        stub.Dispose();
        GC.SuppressFinalize(this);
    }
}
