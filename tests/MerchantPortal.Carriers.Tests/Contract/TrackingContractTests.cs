namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>8001 (with its 1002 fallback), 8008, 2002 and 6001 through the gateway against the sandbox (§2.2–§2.4, §2.9, §3).</summary>
[Collection(ContractCollection.Name)]
public sealed class TrackingContractTests(ContractSandbox sandbox) : ContractTestBase(sandbox)
{

    [Fact]
    public async Task Before_its_first_scan_an_issued_waybill_tracks_as_pending_without_events()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;

        var track = await Gateway.TrackAsync(account, "ZTO", issued.TrackingNo);

        Assert.True(track.Success, track.Reason);
        Assert.Equal(ShipmentStatus.Pending, track.Value!.Status);
        Assert.Equal("0", track.Value.RawState);
        Assert.Empty(track.Value.Events);
    }

    [Fact]
    public async Task An_issued_waybill_tracks_after_time_passes_with_statuses_consistent_with_state_ex()
    {
        var account = Sandbox.Account();
        var issuedAt = DateTime.UtcNow;
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;
        await Sandbox.AdvanceAsync(240);

        var result = await Gateway.TrackAsync(account, "ZTO", issued.TrackingNo);

        Assert.True(result.Success, result.Reason);
        var snapshot = result.Value!;
        Assert.Equal(issued.TrackingNo, snapshot.TrackingNo);
        Assert.Equal("ZTO", snapshot.ShipperCode);
        Assert.NotNull(snapshot.RawStateEx); // 8001 answered (no fallback to 1002, which has no StateEx)
        // Within ten days every journey has its pickup, departure and first-hub scans. A few percent are Stuck at a
        // hub (the sandbox derives StateEx 403 from the silence) and may have only those three, as a clean-clone run
        // showed; every other journey has moved further by then.
        var expected = snapshot.RawStateEx is "403" ? 3 : 4;
        Assert.True(snapshot.Events.Count >= expected, $"only {snapshot.Events.Count} events after 10 days (StateEx {snapshot.RawStateEx})");
        Assert.Equal(KdniaoStatusMap.Map(snapshot.RawState, snapshot.RawStateEx), snapshot.Status);
        Assert.All(snapshot.Events, e =>
        {
            Assert.NotNull(e.RawAction);
            Assert.Equal(KdniaoStatusMap.MapAction(e.RawAction), e.Status);
            Assert.False(string.IsNullOrEmpty(e.Location));
        });
        Assert.Equal(ShipmentStatus.PickedUp, snapshot.Events[0].Status);
        Assert.Equal(snapshot.Events.OrderBy(e => e.TimeUtc), snapshot.Events);
        Assert.Equal(snapshot.RawStateEx is "403" ? ShipmentStatus.Exception : snapshot.Events[^1].Status, snapshot.Status);

        // The sandbox writes Beijing time (UTC+8) and the gateway reads it back to UTC: the first scan comes
        // 1–8 hours after the issue (sandbox README), so an eight-hour slip on either side would show here.
        var firstScan = snapshot.Events[0].TimeUtc;
        Assert.Equal(DateTimeKind.Utc, firstScan.Kind);
        Assert.InRange(firstScan, issuedAt.AddHours(1).AddMinutes(-1), issuedAt.AddHours(8).AddMinutes(1));
        Assert.NotNull(snapshot.EstimatedDelivery);
        Assert.InRange(snapshot.EstimatedDelivery!.Value.UtcDateTime, firstScan, firstScan.AddDays(10));
    }

    [Fact]
    public async Task A_number_the_sandbox_never_issued_still_tracks_and_moves_with_time()
    {
        var account = Sandbox.Account();
        // Several numbers: a journey's fate is drawn from its start, which follows the moment a number is first asked
        // about, and a Stuck or Lost parcel rightly shows nothing new for days (one number alone failed now and then).
        var numbers = Enumerable.Range(424242, 12).Select(n => "73100000" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var first = await Task.WhenAll(numbers.Select(n => Gateway.TrackAsync(account, "ZTO", n)));
        await Sandbox.AdvanceAsync(120);
        var later = await Task.WhenAll(numbers.Select(n => Gateway.TrackAsync(account, "ZTO", n)));

        for (var i = 0; i < numbers.Length; i++)
        {
            Assert.True(first[i].Success, first[i].Reason);
            Assert.True(later[i].Success, later[i].Reason);
            // Time only adds scans: what was there five days ago is still there, in the same order.
            Assert.Equal(first[i].Value!.Events.Select(e => (e.TimeUtc, e.RawAction)), later[i].Value!.Events.Take(first[i].Value!.Events.Count).Select(e => (e.TimeUtc, e.RawAction)));
            Assert.NotEqual(ShipmentStatus.Pending, later[i].Value!.Status);
        }
        // A parcel still under way when first asked about has new scans five days later; one already at its end
        // (its journey began up to three days before the first look) keeps its scans. A few percent are Stuck or Lost
        // and rightly stay put, so most, not all, of those under way must have moved.
        var underWay = Enumerable.Range(0, numbers.Length).Where(i => !first[i].Value!.Status.IsFinal()).ToList();
        var moved = underWay.Count(i => later[i].Value!.Events.Count > first[i].Value!.Events.Count);
        Assert.True(underWay.Count > 0 && moved >= (underWay.Count + 1) / 2,
            "Five days later the parcels under way should have new scans: " + string.Join(", ", numbers.Select((n, i) => $"{n} {first[i].Value!.Status} {first[i].Value!.Events.Count}→{later[i].Value!.Events.Count}")));
    }

    [Fact]
    public async Task Tracking_SF_without_customer_name_is_rejected_and_with_it_succeeds()
    {
        var account = Sandbox.Account();
        const string number = "SF100000000042";

        var without = await Gateway.TrackAsync(account, "SF", number);
        var with = await Gateway.TrackAsync(account, "SF", number, customerName: "0042");

        Assert.False(without.Success);
        Assert.Equal(CarrierErrorKind.Rejected, without.Error);
        Assert.Equal("101", without.ResultCode);
        Assert.Contains("CustomerName", without.Reason, StringComparison.Ordinal);
        Assert.True(with.Success, with.Reason);
        Assert.Equal("SF", with.Value!.ShipperCode);
    }

    [Fact]
    public async Task A_subscription_is_accepted_with_the_sandboxs_estimated_delivery()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;

        var result = await Gateway.SubscribeAsync(account, "ZTO", issued.TrackingNo, new Uri("http://127.0.0.1:9/push"), issued.OrderCode);

        Assert.True(result.Success, result.Reason);
        Assert.NotNull(result.Value!.EstimatedDelivery);
        Assert.InRange(result.Value.EstimatedDelivery!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(10));
        Assert.Equal(1, (await Sandbox.StatsAsync()).Subscriptions);
    }

    [Fact]
    public async Task A_subscription_for_a_carrier_the_sandbox_does_not_know_is_rejected()
    {
        var result = await Gateway.SubscribeAsync(Sandbox.Account(), "NOSUCH", "73100000000001", new Uri("http://127.0.0.1:9/push"));

        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Equal("105", result.ResultCode);
        Assert.Equal(0, (await Sandbox.StatsAsync()).Subscriptions);
    }

    [Fact]
    public async Task An_issued_number_is_recognised_as_its_carrier()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;

        var result = await Gateway.RecogniseCarrierAsync(account, issued.TrackingNo);

        Assert.True(result.Success, result.Reason);
        var candidate = Assert.Single(result.Value!);
        Assert.Equal("ZTO", candidate.ShipperCode);
        Assert.Equal("中通快递", candidate.ShipperName);
    }

    [Fact]
    public async Task A_number_two_carriers_share_a_format_for_gives_both_candidates()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill(shipperCode: "DBL"))).Value!;

        var result = await Gateway.RecogniseCarrierAsync(account, issued.TrackingNo);

        Assert.True(result.Success, result.Reason);
        Assert.Equal(["DBL", "DBLKY"], result.Value!.Select(c => c.ShipperCode).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_nonsense_number_is_recognised_as_nobody()
    {
        var result = await Gateway.RecogniseCarrierAsync(Sandbox.Account(), "NOTANUMBER42");

        Assert.True(result.Success, result.Reason);
        Assert.Empty(result.Value!);
    }

    [Fact]
    public async Task A_free_text_address_is_parsed_into_province_city_district_name_and_mobile()
    {
        var result = await Gateway.ParseAddressAsync(Sandbox.Account(), "北京 朝阳区 建国路88号 李四 13900001111");

        Assert.True(result.Success, result.Reason);
        var a = result.Value!;
        Assert.Equal("北京市", a.ProvinceName);
        Assert.Equal("北京市", a.CityName);
        Assert.Equal("朝阳区", a.DistrictName);
        Assert.Equal("建国路88号", a.Address);
        Assert.Equal("李四", a.Name);
        Assert.Equal("13900001111", a.Mobile);
    }

    [Fact]
    public async Task Text_with_no_place_in_it_is_not_parsed()
    {
        var result = await Gateway.ParseAddressAsync(Sandbox.Account(), "hello world");

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Equal("105", result.ResultCode);
    }
}
