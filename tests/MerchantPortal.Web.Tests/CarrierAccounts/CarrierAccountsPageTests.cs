using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bunit;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.CarrierAccounts;

/// <summary>
/// A failed connection test on the carrier accounts page (bUnit, real service, a real HTTP call to a closed port)
/// is worded in the reader's language: the gateway's own description of a transport failure is English, for the API.
/// </summary>
[Collection(SharedPortal.Name)]
public class CarrierAccountsPageTests(SharedPortal portal) : BunitTestBase
{
    private static string ClosedPortUrl()
    {
        // A port that was just free and is closed again: the call is refused at once, a real transport failure.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    private async Task<string> UnreachableAccountAsync()
    {
        var name = "不可达 " + Guid.NewGuid().ToString("N")[..6];
        await portal.Factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Custom, ClosedPortUrl(), "test1617571", "sandbox-appkey-0001-demo", "ZTO", null, null, null, null, null), "test");
        return name;
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderAndTest(string culture, string accountName)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<CarrierAccountService>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<CarrierAccountsPage>());
        page.WaitForAssertion(() => Assert.Contains(accountName, page.Markup));
        page.FindAll("tr").Single(r => r.TextContent.Contains(accountName, StringComparison.Ordinal)).QuerySelector("[data-testid=ca-test]")!.Click();
        return page;
    }

    [Fact]
    public async Task A_Chinese_user_whose_carrier_cannot_be_reached_is_told_so_in_Chinese()
    {
        var name = await UnreachableAccountAsync();
        var page = RenderAndTest("zh-CN", name);

        page.WaitForAssertion(() => Assert.Equal("连接失败：无法连接到承运商，或其服务器返回了错误。", page.Find("[data-testid=ca-test-result]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("refused", page.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_English_user_is_told_the_same_in_English()
    {
        var name = await UnreachableAccountAsync();
        var page = RenderAndTest("en", name);

        page.WaitForAssertion(() => Assert.Equal("Connection failed: the carrier could not be reached, or its server answered with an error.", page.Find("[data-testid=ca-test-result]").TextContent.Trim()), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_API_keeps_the_gateways_English_reason_and_names_the_kind_of_failure()
    {
        var name = await UnreachableAccountAsync();
        var service = portal.Factory.GetService<CarrierAccountService>();
        var account = (await service.ListAsync()).Single(a => a.Name == name);

        var result = await service.TestConnectionAsync(account.Id, "test");

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }
}
