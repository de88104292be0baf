namespace MerchantPortal.Carriers.Tests;

public sealed class TimeTests
{
    [Theory]
    [InlineData("2024-01-02 08:00:00", "2024-01-02T00:00:00Z")]
    [InlineData("2024/01/02 08:00:00", "2024-01-02T00:00:00Z")]
    [InlineData("2024-01-02 08:00", "2024-01-02T00:00:00Z")]
    [InlineData("2024-1-2 8:05:09", "2024-01-02T00:05:09Z")]
    [InlineData("2024-01-02T08:00:00", "2024-01-02T00:00:00Z")]
    [InlineData("2024-01-02T08:00:00.250", "2024-01-02T00:00:00.25Z")]
    [InlineData("2024-01-02T08:00:00+08:00", "2024-01-02T00:00:00Z")]
    [InlineData("2024-01-02T00:00:00Z", "2024-01-02T00:00:00Z")]
    [InlineData("2024-01-02", "2024-01-01T16:00:00Z")]
    [InlineData("2024-01-01 03:00:00", "2023-12-31T19:00:00Z")]
    public void Beijing_time_is_read_as_utc(string text, string expectedUtc)
    {
        var parsed = KdniaoTime.ParseBeijing(text);

        Assert.NotNull(parsed);
        Assert.Equal(DateTimeKind.Utc, parsed.Value.Kind);
        Assert.Equal(DateTime.Parse(expectedUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), parsed.Value);
    }

    [Fact]
    public void A_malformed_seconds_field_from_the_published_sample_is_read_best_effort()
    {
        var parsed = KdniaoTime.ParseBeijing("2019-09-03 18:09:042");

        Assert.Equal(new DateTime(2019, 9, 3, 10, 9, 42, DateTimeKind.Utc), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a time")]
    [InlineData("2024-13-40 00:00:00")]
    [InlineData("2023-02-29 10:00:00")]
    [InlineData("2024-01-02 08:99:00")]
    public void Unreadable_times_give_null_instead_of_throwing(string? text)
    {
        Assert.Null(KdniaoTime.ParseBeijing(text));
    }

    [Fact]
    public void Formatting_writes_beijing_time_and_reads_back_to_the_same_instant()
    {
        var utc = new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);

        var text = KdniaoTime.FormatBeijing(utc);

        Assert.Equal("2024-01-02 08:00:00", text);
        Assert.Equal(utc, KdniaoTime.ParseBeijing(text));
    }
}
