namespace MerchantPortal.Carriers.Tests;

public sealed class StatusMapTests
{
    // Every code of carrier-protocol.md §3.1 and §3.2 with the status the portal intends (product.md).
    public static TheoryData<string, ShipmentStatus> EveryProtocolCode => new()
    {
        { "0", ShipmentStatus.Pending },
        { "10", ShipmentStatus.Pending },
        { "1", ShipmentStatus.PickedUp },
        { "2", ShipmentStatus.InTransit },
        { "201", ShipmentStatus.InTransit },
        { "204", ShipmentStatus.InTransit },
        { "205", ShipmentStatus.InTransit },
        { "206", ShipmentStatus.InTransit },
        { "202", ShipmentStatus.OutForDelivery },
        { "211", ShipmentStatus.AvailableForPickup },
        { "3", ShipmentStatus.Delivered },
        { "301", ShipmentStatus.Delivered },
        { "302", ShipmentStatus.Delivered },
        { "304", ShipmentStatus.Delivered },
        { "311", ShipmentStatus.Delivered },
        { "4", ShipmentStatus.Exception },
        { "401", ShipmentStatus.Exception },
        { "402", ShipmentStatus.Exception },
        { "403", ShipmentStatus.Exception },
        { "404", ShipmentStatus.Exception },
        { "405", ShipmentStatus.Exception },
        { "406", ShipmentStatus.Returned },
        { "407", ShipmentStatus.Returning },
        { "412", ShipmentStatus.Exception },
        { "413", ShipmentStatus.Exception },
        { "414", ShipmentStatus.Exception },
        { "415", ShipmentStatus.Exception },
        { "416", ShipmentStatus.Exception },
        { "417", ShipmentStatus.Exception },
        { "418", ShipmentStatus.Exception },
        { "419", ShipmentStatus.Exception },
        { "420", ShipmentStatus.Exception },
        { "421", ShipmentStatus.Exception },
        { "422", ShipmentStatus.Exception },
        { "423", ShipmentStatus.Exception },
        { "5", ShipmentStatus.InTransit },
        { "6", ShipmentStatus.InTransit },
        { "601", ShipmentStatus.InTransit },
        { "602", ShipmentStatus.InTransit },
        { "603", ShipmentStatus.InTransit },
        { "604", ShipmentStatus.Exception },
    };

    [Theory]
    [MemberData(nameof(EveryProtocolCode))]
    public void Every_protocol_code_maps_to_its_intended_status_as_State_StateEx_and_Action(string code, ShipmentStatus expected)
    {
        Assert.Equal(expected, KdniaoStatusMap.MapAction(code));
        Assert.Equal(expected, KdniaoStatusMap.Map(null, code));
        Assert.Equal(expected, KdniaoStatusMap.Map(code, null));
    }

    [Fact]
    public void The_table_knows_exactly_the_protocol_codes()
    {
        var listed = EveryProtocolCode.Select(row => (string)row[0]).Order(StringComparer.Ordinal);

        Assert.Equal(listed, KdniaoStatusMap.KnownCodes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StateEx_wins_over_State()
    {
        Assert.Equal(ShipmentStatus.OutForDelivery, KdniaoStatusMap.Map("2", "202"));
        Assert.Equal(ShipmentStatus.Returning, KdniaoStatusMap.Map("4", "407"));
    }

    [Theory]
    [InlineData(" 3 ")]
    [InlineData("3.0")]
    [InlineData("03")]
    public void Codes_that_arrive_as_numbers_or_padded_text_map_like_the_plain_code(string code)
    {
        Assert.Equal(ShipmentStatus.Delivered, KdniaoStatusMap.Map(code, null));
    }

    [Theory]
    [InlineData("2", "999", ShipmentStatus.InTransit)]   // unknown StateEx → the State
    [InlineData("3", "abc", ShipmentStatus.Delivered)]
    [InlineData("999", null, ShipmentStatus.InTransit)]  // unknown everything → still moving
    [InlineData(null, "499", ShipmentStatus.Exception)]  // unknown problem-family code → Exception
    [InlineData(null, null, ShipmentStatus.Pending)]
    [InlineData("", "  ", ShipmentStatus.Pending)]
    [InlineData("-1", "x.y", ShipmentStatus.InTransit)]
    public void Unknown_codes_fall_back_without_throwing(string? state, string? stateEx, ShipmentStatus expected)
    {
        Assert.Equal(expected, KdniaoStatusMap.Map(state, stateEx));
    }

    [Theory]
    [InlineData("999")]
    [InlineData("388")]
    [InlineData("not-a-code")]
    public void An_unknown_code_never_yields_a_final_status(string code)
    {
        Assert.False(KdniaoStatusMap.Map(null, code).IsFinal());
        Assert.False(KdniaoStatusMap.MapAction(code).IsFinal());
    }

    [Theory]
    [InlineData(ShipmentStatus.Delivered, true)]
    [InlineData(ShipmentStatus.Returned, true)]
    [InlineData(ShipmentStatus.Expired, true)]
    [InlineData(ShipmentStatus.Returning, false)]
    [InlineData(ShipmentStatus.Exception, false)]
    [InlineData(ShipmentStatus.AvailableForPickup, false)]
    public void Only_delivered_returned_and_expired_are_final(ShipmentStatus status, bool final)
    {
        Assert.Equal(final, status.IsFinal());
    }
}
