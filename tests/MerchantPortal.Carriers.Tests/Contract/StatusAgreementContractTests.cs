using System.Collections.Concurrent;
using Xunit.Abstractions;
using SandboxCarriers = MerchantPortal.CarrierSandbox.Simulation.Carriers;
using SandboxJourney = MerchantPortal.CarrierSandbox.Simulation.JourneyBuilder;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>
/// The gateway's status table (KdniaoStatusMap) and the sandbox's (JourneyBuilder.StateOf: Action → State) were
/// written independently from §3; over many simulated parcels every code either side emits must agree.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class StatusAgreementContractTests(ContractSandbox sandbox, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Which normalized statuses a plain §3.1 State allows.</summary>
    private static readonly Dictionary<string, ShipmentStatus[]> AllowedByState = new()
    {
        ["0"] = [ShipmentStatus.Pending],
        ["1"] = [ShipmentStatus.PickedUp],
        ["2"] = [ShipmentStatus.InTransit, ShipmentStatus.OutForDelivery, ShipmentStatus.AvailableForPickup],
        ["3"] = [ShipmentStatus.Delivered],
        ["4"] = [ShipmentStatus.Exception, ShipmentStatus.Returning, ShipmentStatus.Returned],
    };

    [Fact]
    public async Task Across_three_hundred_parcels_of_every_carrier_each_trace_action_maps_to_a_status_its_state_allows()
    {
        using var gateway = new ContractGateway();
        var account = sandbox.Account(requestsPerSecond: 400);
        var carriers = new SandboxCarriers().All;
        var random = new Random(20261128);
        var parcels = Enumerable.Range(0, 300).Select(i => carriers[i % carriers.Count]).Select(c => (c.Code, Number: c.NewNumber(random))).ToList();

        // First sight starts each journey (up to 72 h earlier); a day later many are under way, ten days later most
        // have ended one way or another. Every snapshot of every round is checked.
        var snapshots = await QueryAllAsync(gateway.Gateway, account, parcels);
        await sandbox.AdvanceAsync(24);
        snapshots.AddRange(await QueryAllAsync(gateway.Gateway, account, parcels));
        await sandbox.AdvanceAsync(216);
        snapshots.AddRange(await QueryAllAsync(gateway.Gateway, account, parcels));

        var actionsSeen = new SortedSet<string>(StringComparer.Ordinal);
        var statesSeen = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var s in snapshots)
        {
            statesSeen.Add(s.RawState!);
            foreach (var e in s.Events)
            {
                var action = e.RawAction!;
                actionsSeen.Add(action);
                if (!KdniaoStatusMap.KnownCodes.Contains(action))
                {
                    problems.Add($"{s.TrackingNo}: Action {action} is not in the gateway's table");
                }

                var sandboxState = SandboxJourney.StateOf(action);
                if (!AllowedByState[sandboxState].Contains(e.Status))
                {
                    problems.Add($"{s.TrackingNo}: Action {action} → gateway {e.Status}, sandbox State {sandboxState}");
                }
            }

            // The parcel: StateEx wins (product rule), and the State allows it — except that State 4 is sticky (§3.1):
            // after a problem (405 failed delivery, 412 locker timeout…) State stays 4 while StateEx follows the parcel
            // (202 out again, 302 signed in the end). Then an earlier trace must carry the problem.
            var expected = KdniaoStatusMap.Map(s.RawState, s.RawStateEx);
            var stickyProblem = s.RawState == "4" && !s.RawStateEx!.StartsWith('4')
                && s.Events.Any(e => SandboxJourney.StateOf(e.RawAction!) == "4");
            var allowed = AllowedByState[s.RawState!].Contains(s.Status) || stickyProblem;
            if (s.Status != expected || !allowed)
            {
                problems.Add($"{s.TrackingNo}: State {s.RawState} StateEx {s.RawStateEx} → gateway {s.Status}");
            }
        }

        output.WriteLine($"{snapshots.Count} snapshots of {parcels.Count} parcels; States seen {string.Join(",", statesSeen)}; Actions seen {string.Join(",", actionsSeen)}");
        output.WriteLine($"statuses: {string.Join(", ", snapshots.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        // The sample must actually cover the interesting part of both tables.
        Assert.Superset(new SortedSet<string> { "1", "2", "3", "4" }, statesSeen);
        Assert.Superset(new SortedSet<string> { "1", "2", "201", "202", "204", "211", "301", "302", "304", "311", "404", "405", "406", "407" }, actionsSeen);
    }

    private static async Task<List<TrackingSnapshot>> QueryAllAsync(ICarrierGateway gateway, CarrierAccountContext account, IReadOnlyList<(string Code, string Number)> parcels)
    {
        var results = new ConcurrentBag<TrackingSnapshot>();
        await Parallel.ForEachAsync(parcels, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, ct) =>
        {
            // SF requires CustomerName (§2.2); every other carrier ignores it.
            var result = await gateway.TrackAsync(account, p.Code, p.Number, p.Code == "SF" ? "0000" : null, ct);
            Assert.True(result.Success, $"{p.Code} {p.Number}: {result.Error} {result.ResultCode} {result.Reason}");
            results.Add(result.Value!);
        });
        return [.. results];
    }
}
