using MerchantPortal.Web.Features.Picking;
using MerchantPortal.Web.Tests.Waybills.Labels;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>The pick list and packing slip PDFs read back by poppler (an independent reader): pages, text, continuation.</summary>
public sealed class PickingPdfTests : IDisposable
{
    private static readonly DateTimeOffset Printed = new(2026, 12, 6, 14, 5, 0, TimeSpan.FromHours(8));
    private readonly Poppler poppler = new();

    private static PackingSlip Slip(string orderNo, int lines, int parcelNo = 1, int parcelCount = 1) => new(
        "旗舰店", orderNo, [], parcelNo, parcelCount, "中通快递", "73100012345678", "王晓明", "138****8000", "浙江省杭州市西湖区文三路 478 号",
        [.. Enumerable.Range(1, lines).Select(i => new PackingSlipLine($"SKU-{i:D3}", $"商品 {i}", i))], ["请尽快发货"], "W20261206-1400-ZTO-1", Printed);

    [Fact]
    public async Task A_long_pick_list_runs_over_pages_numbered_with_the_wave_and_totals_and_the_no_location_heading()
    {
        var rows = Enumerable.Range(1, 60).Select(i => new PickListRow($"A-{i:D2}", $"SKU-{i:D3}", $"商品 {i}", 2, 1))
            .Append(new PickListRow(null, "SKU-NOLOC", "无库位商品", 1, 1)).ToList();
        var list = new PickList(42, "W20261206-1400-ZTO-1", "ZTO", "中通快递", "中通 测试账号", "杭州仓", Printed, 61, 61, 121, rows);

        var pdf = poppler.Write(PickListPdf.Render(list), "pick-list.pdf");

        Assert.Equal(2, await poppler.PageCountAsync(pdf));
        var first = await poppler.TextAsync(pdf, 1);
        var last = await poppler.TextAsync(pdf, 2);
        PdfText.Has(first, "W20261206-1400-ZTO-1");
        PdfText.Has(first, "中通快递");
        PdfText.Has(first, "杭州仓");
        PdfText.Has(first, "2026-12-06 14:05");
        PdfText.Has(first, "第 1 / 2 页");
        PdfText.Has(first, "SKU-001");
        PdfText.Has(last, "第 2 / 2 页");
        PdfText.Has(last, "无库位");
        PdfText.Has(last, "SKU-NOLOC");
        PdfText.Has(last, "121 件");
    }

    [Fact]
    public async Task Packing_slips_print_two_to_an_A4_page_and_an_order_with_many_lines_continues_on_the_next_half()
    {
        var pdf = poppler.Write(PackingSlipPdf.RenderA4([Slip("ORDER-A", 3), Slip("ORDER-B", 20, 2, 2)]), "slips.pdf");

        Assert.Equal(2, await poppler.PageCountAsync(pdf));
        var first = await poppler.TextAsync(pdf, 1);
        var second = await poppler.TextAsync(pdf, 2);
        PdfText.Has(first, "旗舰店");
        PdfText.Has(first, "ORDER-A");
        PdfText.Has(first, "ORDER-B");
        PdfText.Has(first, "138****8000");
        PdfText.HasNot(first, "13800138000");
        PdfText.Has(first, "备注：请尽快发货");
        PdfText.Has(first, "包裹 2/2");
        PdfText.Has(second, "续 2/2");
        PdfText.Has(second, "SKU-020");
        PdfText.Has(second, "共 20 种 210 件");
    }

    public void Dispose() => poppler.Dispose();
}
