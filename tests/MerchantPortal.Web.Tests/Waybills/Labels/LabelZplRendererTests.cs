using System.Text.RegularExpressions;
using MerchantPortal.Web.Features.Waybills.Labels;

namespace MerchantPortal.Web.Tests.Waybills.Labels;

public partial class LabelZplRendererTests
{
    private readonly LabelZplRenderer renderer = new();

    [Fact]
    public void Many_labels_become_one_XA_XZ_block_each_in_the_given_order()
    {
        var labels = LabelSamples.Many(6).Reverse().ToList();
        var zpl = renderer.Render(labels);

        var blocks = Block().Matches(zpl).Select(m => m.Value).ToList();
        Assert.Equal(labels.Count, blocks.Count);
        Assert.True(string.IsNullOrWhiteSpace(Block().Replace(zpl, "")), "nothing but line breaks between the blocks");
        for (var i = 0; i < labels.Count; i++)
        {
            Assert.Contains(labels[i].TrackingNo, blocks[i]);
        }
    }

    [Fact]
    public void A_label_prints_at_203_dpi_on_100_by_150_mm_with_UTF8_field_data()
    {
        var zpl = renderer.Render(LabelSamples.Create(0));
        Assert.StartsWith("^XA^CI28^PW800^LL1200", zpl);
        Assert.EndsWith("^XZ\n", zpl);
    }

    [Fact]
    public void The_tracking_number_is_a_Code_128_with_modules_of_at_least_three_dots()
    {
        foreach (var label in LabelSamples.Many(6))
        {
            var zpl = renderer.Render(label);
            var barcode = Barcode().Match(zpl);
            Assert.True(barcode.Success, zpl);
            Assert.InRange(int.Parse(barcode.Groups["module"].Value), 3, 4); // 3 dots = 0.375 mm ≥ 0.33 mm
            Assert.Equal(label.TrackingNo, barcode.Groups["data"].Value);
        }
    }

    [Fact]
    public void The_receiver_phone_is_printed_masked_and_never_whole()
    {
        var label = LabelSamples.Create(2);
        var zpl = renderer.Render(label);
        Assert.Contains(label.Receiver.Phone[..3] + "****" + label.Receiver.Phone[^4..], zpl);
        Assert.DoesNotContain(label.Receiver.Phone, zpl);
    }

    [Fact]
    public void Chinese_fields_use_the_printer_CJK_font_and_the_font_path_can_be_changed()
    {
        var label = LabelSamples.Create(0);
        Assert.Matches(@"\^A@N,\d+,\d+,E:SIMSUN\.TTF\^FB\d+,1,0,C\^FH\^FD杭州西湖 310-08\^FS", renderer.Render(label));

        var other = new LabelZplRenderer("E:ANMDS.TTF").Render(label);
        Assert.Contains("E:ANMDS.TTF", other);
        Assert.DoesNotContain("SIMSUN", other);
        Assert.Throws<ArgumentException>(() => new LabelZplRenderer("^XZ"));
    }

    [Fact]
    public void A_long_mark_destination_shrinks_to_one_line_instead_of_overprinting()
    {
        var shortMark = MarkHeight(renderer.Render(LabelSamples.Create(0) with { MarkDestination = "沪 200" }));
        var longMark = MarkHeight(renderer.Render(LabelSamples.Create(0) with { MarkDestination = "新疆乌鲁木齐转 830-D01-05" }));
        Assert.Equal(96, shortMark);
        Assert.InRange(longMark, 20, 40); // 7 ideographs + 11 half-width characters in a 504-dot cell

        static int MarkHeight(string zpl) => int.Parse(MarkField().Match(zpl).Groups["h"].Value);
    }

    [Fact]
    public void Carets_tildes_and_underscores_in_an_address_cannot_break_out_of_the_field()
    {
        var label = LabelSamples.Create(0) with
        {
            Receiver = LabelSamples.Create(0).Receiver with { Address = "幸福路 8 号^XZ~JR_东门" },
        };
        var zpl = renderer.Render(label);

        Assert.Single(Block().Matches(zpl));
        Assert.Contains("幸福路 8 号_5EXZ_7EJR_5F东门", zpl);
        Assert.DoesNotContain("^XZ~JR", zpl);
    }

    [Fact]
    public void Rendering_ZPL_from_several_threads_gives_the_same_text()
    {
        var labels = LabelSamples.Many(50);
        var expected = renderer.Render(labels);
        var results = new string[16];
        Parallel.For(0, results.Length, i => results[i] = renderer.Render(labels));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [GeneratedRegex(@"\^A@N,(?<h>\d+),\d+,[^\^]+\^FB528,1,0,C")]
    private static partial Regex MarkField();

    [GeneratedRegex(@"\^XA.*?\^XZ", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"\^BY(?<module>\d),3,\d+\^BCN,\d+,N,N,N,A\^FH\^FD(?<data>[^\^]+)\^FS")]
    private static partial Regex Barcode();
}
