using System.Globalization;
using System.Text.Json;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class TrackingTests
{
    private static readonly HashSet<string> KnownActions = ["1", "2", "201", "202", "204", "211", "3", "301", "302", "304", "311", "4", "403", "404", "405", "406", "407", "412", "10"];
    private static readonly HashSet<string> FinalActions = ["301", "302", "304", "311", "406"];

    [Fact]
    public async Task A_number_the_sandbox_did_not_issue_still_tracks_deterministically()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        // The first question about a number fixes when its journey started (at most 72 h earlier).
        await sandbox.CallOkAsync("8001", Payloads.Track("YD", "431234567890123"));
        await sandbox.AdvanceHoursAsync(24);

        var first = await sandbox.CallOkAsync("8001", Payloads.Track("YD", "431234567890123"));
        var second = await sandbox.CallOkAsync("8001", Payloads.Track("YD", "431234567890123"));

        Assert.True(first.GetProperty("Traces").GetArrayLength() > 0);
        Assert.Equal(first.GetProperty("Traces").GetRawText(), second.GetProperty("Traces").GetRawText());
        Assert.Equal(first.GetProperty("StateEx").GetString(), second.GetProperty("StateEx").GetString());
    }

    [Fact]
    public async Task Plain_1002_has_no_value_added_fields_and_8001_has_them()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        await sandbox.CallOkAsync("8001", Payloads.Track("ZTO", "73112233445566"));
        await sandbox.AdvanceHoursAsync(48);
        var plain = await sandbox.CallOkAsync("1002", Payloads.Track("ZTO", "73112233445566"), "/Ebusiness/EbusinessOrderHandle.aspx");
        var rich = await sandbox.CallOkAsync("8001", Payloads.Track("ZTO", "73112233445566"));

        Assert.False(plain.TryGetProperty("StateEx", out _));
        Assert.False(plain.GetProperty("Traces")[0].TryGetProperty("Action", out _));
        Assert.True(rich.TryGetProperty("StateEx", out _));
        Assert.False(string.IsNullOrEmpty(rich.GetProperty("Location").GetString()));
        Assert.False(string.IsNullOrEmpty(rich.GetProperty("Traces")[0].GetProperty("Location").GetString()));
        Assert.Equal(plain.GetProperty("Traces").GetArrayLength(), rich.GetProperty("Traces").GetArrayLength());
    }

    [Fact]
    public async Task Journeys_reach_an_end_with_ordered_traces_and_consistent_states()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var numbers = Enumerable.Range(0, 20).Select(i => "SF" + (100000000000L + (i * 7919L)).ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var n in numbers)
        {
            await sandbox.CallOkAsync("8001", Payloads.Track("SF", n));
        }

        await sandbox.AdvanceHoursAsync(24 * 40);
        var finals = 0;
        foreach (var n in numbers)
        {
            var asc = await sandbox.CallOkAsync("8001", Payloads.Track("SF", n, sort: 0));
            var desc = await sandbox.CallOkAsync("8001", Payloads.Track("SF", n, sort: 1));
            var traces = asc.GetProperty("Traces").EnumerateArray().ToList();
            var times = traces.Select(t => DateTime.ParseExact(t.GetProperty("AcceptTime").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(times.OrderBy(t => t), times);
            Assert.Equal(traces.Select(t => t.GetRawText()).Reverse(), desc.GetProperty("Traces").EnumerateArray().Select(t => t.GetRawText()));

            AssertConsistent(asc);
            var stateEx = asc.GetProperty("StateEx").GetString()!;
            if (FinalActions.Contains(stateEx))
            {
                finals++;
            }
            else
            {
                // Not signed after 40 days: must be a dead end — lost (4) or silent at a hub (403).
                Assert.Contains(stateEx, new[] { "4", "403" });
            }
        }

        Assert.True(finals >= 10, $"only {finals} of 20 journeys ended signed or returned");
    }

    [Fact]
    public async Task An_issued_waybill_waits_for_pickup_then_moves_on_its_lane()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill("LANE-1", "EMS"), "/api/EOrderService");
        var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString()!;

        var waiting = await sandbox.CallOkAsync("8001", Payloads.Track("EMS", number));
        Assert.Equal("0", waiting.GetProperty("State").GetString());
        Assert.Equal("10", waiting.GetProperty("StateEx").GetString());
        Assert.Equal(0, waiting.GetProperty("Traces").GetArrayLength());
        Assert.Equal("LANE-1", waiting.GetProperty("OrderCode").GetString());

        await sandbox.AdvanceHoursAsync(24 * 30);
        var done = await sandbox.CallOkAsync("8001", Payloads.Track("EMS", number));
        var traces = done.GetProperty("Traces");
        Assert.StartsWith("【杭州市】", traces[0].GetProperty("AcceptStation").GetString(), StringComparison.Ordinal);
        AssertConsistent(done);
        if (traces.EnumerateArray().Any(t => t.GetProperty("Action").GetString() == "201"))
        {
            Assert.Contains(traces.EnumerateArray(), t => t.GetProperty("Location").GetString() == "北京市" && t.GetProperty("Action").GetString() == "202");
        }
        else
        {
            // Lost or stuck before reaching the destination city.
            Assert.Contains(done.GetProperty("StateEx").GetString(), new[] { "4", "403" });
        }
    }

    [Fact]
    public async Task SF_tracking_without_CustomerName_is_refused()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var reply = await sandbox.CallAsync("1002", "{\"ShipperCode\":\"SF\",\"LogisticCode\":\"SF123456789012\"}");
        Assert.False(reply.Success);
        Assert.Equal("101", reply.ResultCode);
    }

    /// <summary>carrier-protocol.md §3: State per trace follows its Action, 4 is sticky, StateEx is the last Action (or 403).</summary>
    internal static void AssertConsistent(JsonElement reply)
    {
        var traces = reply.GetProperty("Traces").EnumerateArray().ToList();
        var state = reply.GetProperty("State").GetString();
        var stateEx = reply.GetProperty("StateEx").GetString()!;
        if (traces.Count == 0)
        {
            Assert.Equal("0", state);
            return;
        }

        var actions = traces.Select(t => t.GetProperty("Action").GetString()!).ToList();
        Assert.All(actions, a => Assert.Contains(a, KnownActions));
        if (actions.SkipWhile(a => a == "10").FirstOrDefault() is { } firstScan)
        {
            Assert.Equal("1", firstScan);
        }

        var hadProblem = actions.Any(a => a.StartsWith('4'));
        if (stateEx == "403")
        {
            Assert.Equal("4", state);
            Assert.DoesNotContain(actions[^1], FinalActions);
            return;
        }

        Assert.Equal(actions[^1], stateEx);
        var expected = hadProblem ? "4" : stateEx switch
        {
            "1" => "1",
            "301" or "302" or "304" or "311" => "3",
            "10" => "0",
            _ => "2",
        };
        Assert.Equal(expected, state);
    }
}
