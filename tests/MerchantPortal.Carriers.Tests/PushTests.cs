using System.Net;
using System.Text.Json;

namespace MerchantPortal.Carriers.Tests;

public sealed class PushTests
{
    private const string AppKey = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17";

    // Shaped like the published 102 push samples (§2.5): two waybills, codes as strings and as numbers,
    // key casing varies, and one AcceptTime has the malformed "18:09:042".
    private const string TwoItemPush = """
        {
          "EBusinessID": "1237100",
          "PushTime": "2019-09-03 18:10:00",
          "Count": "2",
          "Data": [
            {
              "EBusinessID": "1237100", "OrderCode": "SO-1", "ShipperCode": "ZTO", "LogisticCode": "75312345",
              "Success": true, "State": "2", "StateEx": "202", "Location": "杭州市", "CallBack": "cb-1",
              "EstimatedDeliveryTime": "2019-09-04 18:00:00",
              "Traces": [
                { "AcceptTime": "2019-09-02 09:00:00", "AcceptStation": "【杭州】已揽收", "Location": "杭州市", "Action": "1" },
                { "AcceptTime": "2019-09-03 18:09:042", "AcceptStation": "【杭州】派件中", "Location": "杭州市", "Action": 202 }
              ]
            },
            {
              "orderCode": "SO-2", "shipperCode": "SF", "logisticCode": "SF1000", "success": "true",
              "state": 3, "stateEx": 301,
              "traces": [ { "acceptTime": "2019-09-03 12:00:00", "acceptStation": "已签收", "action": "301" } ]
            }
          ]
        }
        """;

    [Fact]
    public void A_correctly_signed_RequestData_verifies()
    {
        var sign = KdniaoSigner.Sign(TwoItemPush, AppKey);

        Assert.True(KdniaoPush.VerifySign(TwoItemPush, sign, AppKey));
    }

    [Fact]
    public void A_sign_still_verifies_when_both_values_arrive_url_encoded_once_more()
    {
        var sign = KdniaoSigner.Sign(TwoItemPush, AppKey);

        Assert.True(KdniaoPush.VerifySign(WebUtility.UrlEncode(TwoItemPush), WebUtility.UrlEncode(sign), AppKey));
        Assert.True(KdniaoPush.VerifySign(TwoItemPush, WebUtility.UrlEncode(sign), AppKey));
    }

    [Fact]
    public void A_wrong_sign_a_wrong_key_or_altered_data_is_rejected()
    {
        var sign = KdniaoSigner.Sign(TwoItemPush, AppKey);

        Assert.False(KdniaoPush.VerifySign(TwoItemPush, KdniaoSigner.Sign(TwoItemPush, "another-key"), AppKey));
        Assert.False(KdniaoPush.VerifySign(TwoItemPush.Replace("SO-2", "SO-3", StringComparison.Ordinal), sign, AppKey));
        Assert.False(KdniaoPush.VerifySign(TwoItemPush, "", AppKey));
    }

    [Fact]
    public void Parse_reads_every_item_with_string_and_number_codes_and_a_malformed_time()
    {
        var push = KdniaoPush.Parse(TwoItemPush);

        Assert.Equal("1237100", push.EBusinessId);
        Assert.Equal(new DateTime(2019, 9, 3, 10, 10, 0, DateTimeKind.Utc), push.PushTimeUtc);
        Assert.Equal(2, push.Data.Count);

        var first = push.Data[0];
        Assert.Equal("SO-1", first.OrderCode);
        Assert.Equal("cb-1", first.CallBack);
        Assert.Equal("75312345", first.Snapshot.TrackingNo);
        Assert.Equal(ShipmentStatus.OutForDelivery, first.Snapshot.Status);
        Assert.Equal("杭州市", first.Snapshot.Location);
        Assert.Equal(new DateTimeOffset(2019, 9, 4, 10, 0, 0, TimeSpan.Zero), first.Snapshot.EstimatedDelivery);
        Assert.Equal([ShipmentStatus.PickedUp, ShipmentStatus.OutForDelivery], first.Snapshot.Events.Select(e => e.Status));
        Assert.Equal(new DateTime(2019, 9, 3, 10, 9, 42, DateTimeKind.Utc), first.Snapshot.Events[1].TimeUtc);
        Assert.Equal("202", first.Snapshot.Events[1].RawAction);

        var second = push.Data[1];
        Assert.Equal("SO-2", second.OrderCode);
        Assert.True(second.Success);
        Assert.Equal("SF", second.Snapshot.ShipperCode);
        Assert.Equal("3", second.Snapshot.RawState);
        Assert.Equal("301", second.Snapshot.RawStateEx);
        Assert.Equal(ShipmentStatus.Delivered, second.Snapshot.Status);
        Assert.Single(second.Snapshot.Events);
    }

    [Fact]
    public void A_double_encoded_RequestData_is_parsed_too()
    {
        var push = KdniaoPush.Parse(WebUtility.UrlEncode(TwoItemPush));

        Assert.Equal(2, push.Data.Count);
    }

    [Fact]
    public void Something_that_is_not_json_is_refused_with_a_format_error()
    {
        Assert.False(KdniaoPush.TryParse("RequestData=oops", out _));
        Assert.Throws<FormatException>(() => KdniaoPush.Parse("<html>"));
    }

    [Fact]
    public void The_acknowledgement_is_the_json_the_aggregator_expects()
    {
        var json = KdniaoPush.Acknowledge("1237100", true, "", new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("1237100", root.GetProperty("EBusinessID").GetString());
        Assert.Equal("2024-01-02 08:00:00", root.GetProperty("UpdateTime").GetString());
        Assert.True(root.GetProperty("Success").GetBoolean());
        Assert.Equal("", root.GetProperty("Reason").GetString());
    }

    [Fact]
    public void A_refusing_acknowledgement_carries_its_reason_in_plain_chinese()
    {
        var json = KdniaoPush.Acknowledge("1237100", false, "签名错误", DateTimeOffset.UnixEpoch);

        Assert.Contains("\"Success\":false", json, StringComparison.Ordinal);
        Assert.Contains("签名错误", json, StringComparison.Ordinal);
    }
}
