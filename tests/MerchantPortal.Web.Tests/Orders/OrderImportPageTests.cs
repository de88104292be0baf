using System.Globalization;
using System.Text;
using Bunit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>
/// The order import page (bUnit, with the shared portal's real import service and files) says what is wrong with an
/// upload in the reader's language: the service's exception texts and failures are the API's English.
/// </summary>
[Collection(SharedPortal.Name)]
public class OrderImportPageTests(SharedPortal portal) : BunitTestBase
{
    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<OrderImportService>());
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrderImportPage>());
    }

    private static void Upload(IRenderedComponent<CascadingAuthenticationState> page, byte[] content, string fileName) =>
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, fileName));

    [Fact]
    public void A_Chinese_user_uploading_a_file_that_is_no_spreadsheet_is_told_so_in_Chinese_and_the_page_lives_on()
    {
        var page = Render("zh-CN");
        Upload(page, Encoding.UTF8.GetBytes("this is not a zip archive, whatever its name says"), "orders.xlsx");

        page.WaitForAssertion(() => Assert.Contains("无法读取 orders.xlsx：请上传 CSV（UTF-8 或 GBK）或 XLSX 文件。", page.Find("[data-testid=import-upload-error]").TextContent));
        Assert.DoesNotContain("Central Directory", page.Markup);
        Assert.DoesNotContain("could not be read", page.Markup);
    }

    [Fact]
    public void An_English_user_gets_the_same_upload_refusal_in_English()
    {
        var page = Render("en");
        Upload(page, Encoding.UTF8.GetBytes("this is not a zip archive, whatever its name says"), "orders.xlsx");

        page.WaitForAssertion(() => Assert.Contains("orders.xlsx could not be read: upload a CSV (UTF-8 or GBK) or an XLSX file.", page.Find("[data-testid=import-upload-error]").TextContent));
    }

    [Fact]
    public void A_Chinese_user_previewing_a_file_without_required_columns_reads_the_columns_and_their_mapping_in_Chinese()
    {
        var page = Render("zh-CN");
        Upload(page, Encoding.UTF8.GetBytes("订单编号,收货人\nIMP-ZH-1,张三\n"), "orders.csv");

        page.WaitForAssertion(() => Assert.Contains("缺少列：联系手机、数量、省份 / 收货地址、商品名称 / 商家编码", page.Find("[data-testid=import-preview]").TextContent));
        var preview = page.Find("[data-testid=import-preview]").TextContent;
        Assert.Contains("订单编号 → 订单编号", preview);
        Assert.DoesNotContain("OrderNo", preview);
        Assert.DoesNotContain("mobile", preview);
        Assert.DoesNotContain("full address", preview);
    }

    [Fact]
    public void An_English_user_reads_the_missing_columns_as_the_file_would_head_them()
    {
        var page = Render("en");
        Upload(page, Encoding.UTF8.GetBytes("order no,receiver\nIMP-EN-1,Zhang San\n"), "orders.csv");

        page.WaitForAssertion(() => Assert.Contains("mobile, quantity, province / full address, item / sku", page.Find("[data-testid=import-preview]").TextContent));
        Assert.Contains("order no → order no", page.Find("[data-testid=import-preview]").TextContent);
    }

    [Theory]
    [InlineData("zh-CN", "缺少列：订单编号、省份 / 收货地址")]
    [InlineData("en", "Missing columns: order no, province / full address")]
    public void A_failed_import_is_worded_in_the_readers_language(string culture, string expected)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var l = portal.Factory.GetService<IStringLocalizer<OrdersResources>>();

        Assert.Equal(expected, OrderImportPage.DescribeFailure(l, ImportFailures.MissingColumns(["order no", "province / full address"])));
    }

    [Fact]
    public void A_Chinese_user_never_reads_the_jobs_English_failure_texts()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        var l = portal.Factory.GetService<IStringLocalizer<OrdersResources>>();

        Assert.Equal("文件为空。", OrderImportPage.DescribeFailure(l, ImportFailures.Empty));
        // Whatever an exception said (stored for the API and the log), the page says the import stopped.
        var stopped = OrderImportPage.DescribeFailure(l, "End of Central Directory record could not be found.");
        Assert.StartsWith("导入在文件结束前中止", stopped);
        Assert.DoesNotContain("Central", stopped);
    }
}
