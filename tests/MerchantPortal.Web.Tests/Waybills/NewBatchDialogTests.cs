using System.Globalization;
using System.Net.Http.Json;
using Bunit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>
/// The new-batch dialog (bUnit on the waybill portal's real services): it lists the orders it is for, and the product
/// type is chosen from the chosen carrier's products, worded, starting at the account's default, the code being
/// what the batch sends.
/// </summary>
[Collection(WaybillCollection.Name)]
public class NewBatchDialogTests(WaybillPortal portal) : BunitTestBase, IClassFixture<WaybillPortal>
{
    private async Task<int> SfAccountAsync()
    {
        const string name = "dialog tests SF";
        await using (var db = await WaybillTestData.Db(portal.Factory))
        {
            if (await db.Set<CarrierAccount>().Where(a => a.Name == name).Select(a => (int?)a.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }
        }
        var created = await portal.Factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Sandbox, null, WaybillTestData.EBusinessId, WaybillTestData.AppKey, "SF", "acct", "pwd", "7550001", null, null,
                RequestsPerSecond: 100), "test");
        return created.Id;
    }

    /// <summary>Opens the dialog in the caller's culture (set by the caller: a culture set in here would not flow back).</summary>
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<MudPopoverProvider> Popovers, IDialogReference Dialog)> OpenAsync(IReadOnlyList<string> orderNos)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<OrderAddressService>());
        Context.Services.AddSingleton(portal.Factory.GetService<WaybillBatchService>());
        Context.Services.AddSingleton(portal.Factory.GetService<CarrierAccountService>());
        // A select's list opens in the popover provider, outside the dialog's markup.
        var popovers = Context.Render<MudPopoverProvider>();
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<NewBatchDialog> { { d => d.OrderNos, orderNos }, { d => d.Actor, "ops@demo.local" } };
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<NewBatchDialog>("", parameters));
        provider.WaitForElement("[data-testid=waybill-new-summary]");
        return (provider, popovers, dialog);
    }

    [Fact]
    public async Task The_dialog_lists_its_orders_and_offers_the_chosen_carriers_products_by_name_and_the_batch_sends_the_chosen_code()
    {
        await SfAccountAsync();
        var orders = await WaybillTestData.CreateOrdersAsync(portal.Factory, 2);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        var (provider, popovers, dialog) = await OpenAsync(orders);

        var listed = provider.Find("[data-testid=waybill-new-orders]").TextContent;
        Assert.All(orders, o => Assert.Contains(o, listed, StringComparison.Ordinal));
        Assert.DoesNotContain("1 = ", provider.Markup, StringComparison.Ordinal);

        // Chosen as a person does: open the list, click the entry.
        await provider.InvokeAsync(provider.FindComponents<MudSelect<int?>>().Single().Instance.OpenMenu);
        popovers.WaitForElements(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Contains("dialog tests SF", StringComparison.Ordinal)).Click();
        provider.WaitForAssertion(() => Assert.Equal("标准快递", provider.Find("[data-testid=waybill-new-service] input, input[data-testid=waybill-new-service]").GetAttribute("value")));

        await provider.InvokeAsync(provider.FindComponents<MudSelect<string>>().Single().Instance.OpenMenu);
        popovers.WaitForAssertion(() => Assert.Equal(["标准快递", "特快", "经济快递"], popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())));
        popovers.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "特快").Click();
        provider.WaitForAssertion(() => Assert.Equal("特快", provider.Find("[data-testid=waybill-new-service] input, input[data-testid=waybill-new-service]").GetAttribute("value")));
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=waybill-new-start]").HasAttribute("disabled")));
        provider.Find("[data-testid=waybill-new-start]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(30));
        var summary = await portal.Factory.GetService<WaybillBatchService>().GetAsync(Assert.IsType<long>(result!.Data));
        Assert.Equal(("2", "SF", 2), (summary!.ServiceType, summary.ShipperCode, summary.Total));
    }

    [Fact]
    public async Task The_API_lists_a_carriers_products_as_the_dialog_offers_them()
    {
        using var api = portal.Factory.CreateApiClient();
        async Task<List<(string, string)>> ProductsAsync(string carrier, string language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/waybills/products?carrier={carrier}");
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await api.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return [.. (await response.Content.ReadFromJsonAsync<List<WaybillEndpoints.CarrierProductResponse>>())!.Select(p => (p.Code, p.Name))];
        }

        Assert.Equal([("1", "Standard express"), ("2", "Express"), ("3", "Economy express")], await ProductsAsync("SF", "en"));
        Assert.Equal([("1", "标准快递"), ("2", "特快"), ("3", "经济快递")], await ProductsAsync("SF", "zh-CN"));
        Assert.Equal([("1", "Standard express")], await ProductsAsync("ZTO", "en"));
    }

    [Fact]
    public void A_carrier_without_further_products_offers_the_standard_one_and_an_accounts_own_code_is_kept_by_its_number()
    {
        Assert.Equal([CarrierProducts.Standard], CarrierProducts.For("ZTO").Select(p => p.Code));
        Assert.Equal(["1", "2", "3"], CarrierProducts.For("SF").Select(p => p.Code));

        var withOwn = CarrierProducts.WithAccountDefault("ZTO", "7");

        Assert.Equal(["1", "7"], withOwn.Select(p => p.Code));
        var l = Context.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<WaybillsResources>>();
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        Assert.Equal("产品代码 7", CarrierProducts.Name(l, "ZTO", "7"));
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        Assert.Equal("Standard express", CarrierProducts.Name(l, "ZTO", "1"));
    }
}
