using System.Globalization;
using System.Text;
using Bunit;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>
/// A bill whose file cannot be read fails with the reader's exception text stored (English, for the API and the
/// log); the bill page (bUnit, real service and job) says it in the user's language instead.
/// </summary>
[Collection(FreightPortal.Name)]
public class FreightBillPageTests(FreightPortal portal) : BunitTestBase
{
    private async Task<long> UnreadableBillAsync(string prefix)
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, prefix);
        var id = await FreightFixture.ReconcileAsync(portal.Factory, account, Encoding.UTF8.GetBytes("no zip archive behind this name"), "bill.xlsx");
        var bill = (await portal.Factory.GetService<FreightBillService>().GetAsync(id))!.Bill;
        Assert.Equal(FreightBillStatus.Failed, bill.Status);
        Assert.False(string.IsNullOrEmpty(bill.Failure), "the API keeps the reader's own text");
        return id;
    }

    private IRenderedComponent<CascadingAuthenticationState> Render(string culture, long id)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<FreightBillService>());
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<FreightBillPage>(c => c.Add(x => x.Id, id)));
    }

    [Fact]
    public async Task A_Chinese_user_reads_why_an_unreadable_bill_failed_in_Chinese()
    {
        var id = await UnreadableBillAsync("ZH");
        var bill = (await portal.Factory.GetService<FreightBillService>().GetAsync(id))!.Bill;

        var page = Render("zh-CN", id);

        page.WaitForAssertion(() => Assert.Equal("无法将 bill.xlsx 读取为 CSV 或 XLSX 对账单：请检查文件后重新上传。", page.Find("[data-testid=bill-failure]").TextContent.Trim()));
        Assert.DoesNotContain(bill.Failure!, page.Markup);
    }

    [Fact]
    public async Task An_English_user_reads_it_in_English()
    {
        var id = await UnreadableBillAsync("EN");

        var page = Render("en", id);

        page.WaitForAssertion(() => Assert.Equal("bill.xlsx could not be read as a CSV or XLSX bill: check the file and upload it again.", page.Find("[data-testid=bill-failure]").TextContent.Trim()));
    }
}
