using MerchantPortal.Web.Features.Packing;

namespace MerchantPortal.Web.Tests.Packing;

/// <summary>Scan-to-verify decisions and scale lines, without a page or a database.</summary>
public class PackVerifierTests
{
    private static PackVerifier Parcel() => new(
    [
        new PackItem("TS-RED-M", "T恤 红 M", 2, ["TS-RED-M", "6901234567892"]),
        new PackItem("MUG-01", "马克杯", 1, ["MUG-01"]),
    ]);

    [Fact]
    public void A_scan_of_an_items_barcode_or_its_sku_in_any_case_with_spaces_is_accepted_until_its_quantity()
    {
        var v = Parcel();

        Assert.Equal(ScanVerdict.Accepted, v.Scan("6901234567892").Verdict);
        Assert.Equal(ScanVerdict.Accepted, v.Scan("  ts-red-m ").Verdict);
        Assert.Equal([2, 0], v.Scanned);
        Assert.False(v.Complete);
        Assert.Equal("MUG-01", v.FirstMissing?.Sku);
    }

    [Fact]
    public void A_code_of_no_item_is_wrong_and_one_more_than_the_quantity_is_extra_and_both_are_counted_as_refused()
    {
        var v = Parcel();
        v.Scan("MUG-01");

        var wrong = v.Scan("6900000000000");
        var extra = v.Scan("mug-01");

        Assert.Equal((ScanVerdict.Wrong, (int?)null), (wrong.Verdict, wrong.Item));
        Assert.Equal((ScanVerdict.Extra, (int?)1), (extra.Verdict, extra.Item));
        Assert.Equal(2, v.Refused);
        Assert.Equal([0, 1], v.Scanned);
    }

    [Fact]
    public void The_parcel_is_complete_only_when_every_unit_of_every_item_is_scanned()
    {
        var v = Parcel();
        v.Scan("TS-RED-M");
        v.Scan("MUG-01");
        Assert.False(v.Complete);

        v.Scan("6901234567892");

        Assert.True(v.Complete);
        Assert.Null(v.FirstMissing);
        Assert.Equal((3, 3), (v.Accepted, v.Expected));
    }

    [Fact]
    public void A_parcel_with_nothing_to_scan_is_never_complete_and_an_empty_scan_is_wrong()
    {
        var v = new PackVerifier([]);

        Assert.False(v.Complete);
        Assert.Equal(ScanVerdict.Wrong, v.Scan("   ").Verdict);
    }

    [Fact]
    public void Replaying_scans_names_a_wrong_an_extra_and_a_missing_item()
    {
        var parcel = new PackParcel(1, 1, "YT100", "ORD-1", "YTO", 1, 1, [new PackItem("A", "甲", 2, ["A"]), new PackItem("B", "乙", 1, ["B", "690B"])]);

        var problems = PackingService.Verify(parcel, ["A", "X9", "690B", "b"]);

        Assert.Equal(["scans[1]", "scans[3]", "scans"], problems.Select(p => p.Field));
        Assert.Contains("X9", problems[0].Message);
        Assert.Contains("one too many", problems[1].Message);
        Assert.Contains("A (甲) is missing: 1 of 2", problems[2].Message);
        Assert.False(PackingService.Verify(parcel, ["a", "690b", "A"]).Any);
    }

    [Theory]
    [InlineData("ST,GS,+  0.820kg", "0.820")]
    [InlineData("ST,NT,+0.820 kg", "0.820")]
    [InlineData("  1.25\r", "1.25")]
    [InlineData("820g", "0.820")]
    [InlineData("ST,GS,+ 2.000 lb", "0.907")]
    public void A_stable_scale_line_or_a_plain_number_reads_as_kilograms(string line, string kg) =>
        Assert.Equal(decimal.Parse(kg, System.Globalization.CultureInfo.InvariantCulture), ScaleReading.Parse(line));

    [Theory]
    [InlineData("US,GS,+  0.815kg")]
    [InlineData("OL,GS,+  9999kg")]
    [InlineData("ST,GS,-  0.020kg")]
    [InlineData("")]
    [InlineData("ERR")]
    public void An_unstable_overloaded_negative_or_unreadable_line_is_no_weight(string line) => Assert.Null(ScaleReading.Parse(line));
}
