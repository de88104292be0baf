using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MerchantPortal.Carriers.Tests.Support;

namespace MerchantPortal.Carriers.Tests;

/// <summary>Every gateway request is one carrier call measurement whose outcome says how the portal took the answer.</summary>
public sealed class CallMetricsTests
{
    [Theory]
    [InlineData(200, """{"Success":true,"ResultCode":"100","Order":{"OrderCode":"SO-1001","LogisticCode":"ZT1001"}}""", "success")]
    [InlineData(200, """{"Success":false,"ResultCode":106,"Reason":"该订单号已下单成功","Order":{"OrderCode":"SO-1001","LogisticCode":"ZT1001"}}""", "success")]
    [InlineData(200, """{"Success":false,"ResultCode":"105","Reason":"收件人地址不详细"}""", "rejected")]
    [InlineData(200, """{"Success":false,"ResultCode":"405","Reason":"超出查询次数限制"}""", "rate_limited")]
    [InlineData(200, "not json", "invalid_response")]
    [InlineData(400, "", "transport")]
    public async Task A_waybill_call_is_counted_once_for_its_account_with_the_outcome_the_portal_sees(int status, string body, string outcome)
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => status == 200 ? ServerReply.Json(body) : ServerReply.Http(status));
        using var host = new TestGateway();
        var account = TestGateway.Account(server);
        var seen = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = Listen(account.AccountKey, seen);

        await host.Gateway.CreateWaybillAsync(account, Samples.Waybill());

        var call = Assert.Single(seen, m => m.Instrument == CarrierMetrics.CallsName);
        Assert.Equal(1, call.Value);
        Assert.Equal((outcome, "ZTO", KdniaoRequestTypes.CreateWaybill), ((string?)call.Tags["outcome"], (string?)call.Tags["carrier"], (string?)call.Tags["request_type"]));
        var latency = Assert.Single(seen, m => m.Instrument == CarrierMetrics.DurationName);
        Assert.InRange(latency.Value, 0, 30);
    }

    /// <summary>Measurements of the gateway's instruments for one account (tests run in parallel, each with its own account).</summary>
    private static MeterListener Listen(string accountKey, ConcurrentQueue<(string, double, Dictionary<string, object?>)> seen)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CarrierMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }
            if (Equals(map.GetValueOrDefault("account"), accountKey))
            {
                seen.Enqueue((instrument.Name, value, map));
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        return listener;
    }
}
