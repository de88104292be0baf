using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Components;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>The waybill pages' "fix order" form (bUnit, no portal): what it offers and what it hands back.</summary>
public class WaybillFixFormTests : BunitTestBase
{
    private static readonly OrderFix Flagged = new("TB-1001", "李雷", "13900526001", "浙江省", "杭州市", "", "文三路", 0m);

    private static string Input(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    private IRenderedComponent<WaybillFixForm> Render(Action<OrderFix>? saved = null, Action? cancelled = null)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        return Context.Render<WaybillFixForm>(p => p
            .Add(f => f.Fix, Flagged)
            .Add(f => f.Saved, fix => saved?.Invoke(fix))
            .Add(f => f.Cancelled, () => cancelled?.Invoke()));
    }

    [Fact]
    public void The_form_starts_from_the_orders_current_receiver_address_and_weight()
    {
        var form = Render();

        Assert.Contains("Fix order TB-1001", form.Markup);
        Assert.Equal("李雷", form.Find(Input("waybill-fix-receiver")).GetAttribute("value"));
        Assert.Equal("浙江省", form.Find(Input("waybill-fix-province")).GetAttribute("value"));
        Assert.Equal("文三路", form.Find(Input("waybill-fix-address")).GetAttribute("value"));
    }

    [Fact]
    public void Saving_hands_back_the_edited_values_for_the_same_order()
    {
        OrderFix? saved = null;
        var form = Render(saved: f => saved = f);

        form.Find(Input("waybill-fix-district")).Change("西湖区");
        form.Find(Input("waybill-fix-address")).Change("文三路 90 号");
        form.Find("[data-testid=waybill-fix-save]").Click();

        Assert.Equal(Flagged with { District = "西湖区", AddressDetail = "文三路 90 号" }, saved);
    }

    [Fact]
    public void Cancelling_saves_nothing()
    {
        var (saved, cancelled) = (false, false);
        var form = Render(saved: _ => saved = true, cancelled: () => cancelled = true);

        form.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.True(cancelled);
        Assert.False(saved);
    }
}
