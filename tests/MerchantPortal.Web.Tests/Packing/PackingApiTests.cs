using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Kpis.Freight;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Packing;

/// <summary>The packing station's API over real HTTP and SQLite: what a parcel holds, what is stored, and the packed weight in freight reconciliation.</summary>
[Collection(FreightPortal.Name)]
public class PackingApiTests(FreightPortal portal)
{
    private PortalFactory Factory => portal.Factory;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<(string TrackingNo, string Sku, string Barcode, int AccountId)> PackableAsync(int quantity = 2)
    {
        var code = PackingTestData.Unique("P");
        var sku = "SKU-" + code;
        var barcode = "69" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await PackingTestData.CatalogueAsync(Factory, sku, "保温杯", barcode);
        var accountId = await PackingTestData.AccountAsync(Factory, code);
        var order = await PackingTestData.OrderAsync(Factory, "ORD-" + code, [(sku, "保温杯", quantity), ("NOBAR-" + code, "杯垫", 1)]);
        return (await PackingTestData.WaybillAsync(Factory, order, accountId, code), sku, barcode, accountId);
    }

    private static object Request(string trackingNo, string[] scans, decimal weightKg = 0.8m, bool replace = false, string station = "A-01") =>
        new { trackingNo, station, scans, weightKg, weightSource = "Typed", refusedScans = 1, replace };

    [Fact]
    public async Task A_waybill_opens_with_its_items_expected_quantities_and_the_codes_that_count_SKU_and_catalogue_barcode()
    {
        var (number, sku, barcode, _) = await PackableAsync();
        using var api = Factory.CreateApiClient();

        var parcel = await api.GetFromJsonAsync<JsonElement>($"/api/v1/pack/{number}");

        var items = parcel.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, parcel.GetProperty("itemCount").GetInt32());
        Assert.Equal((sku, 2), (items[0].GetProperty("sku").GetString(), items[0].GetProperty("quantity").GetInt32()));
        Assert.Equal([sku, barcode], items[0].GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Single(items[1].GetProperty("codes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, parcel.GetProperty("packed").ValueKind);
    }

    [Fact]
    public async Task An_unknown_number_is_404_and_a_voided_waybill_is_refused_with_409()
    {
        var code = PackingTestData.Unique("V");
        var accountId = await PackingTestData.AccountAsync(Factory, code);
        var order = await PackingTestData.OrderAsync(Factory, "ORD-" + code, [("SKU-" + code, "杯子", 1)]);
        var voided = await PackingTestData.WaybillAsync(Factory, order, accountId, code, voided: true);
        using var api = Factory.CreateApiClient();

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/pack/NO-SUCH-NUMBER")).StatusCode);
        var response = await api.GetAsync($"/api/v1/pack/{voided}");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("voided", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/v1/pack", Request(voided, ["SKU-" + code]))).StatusCode);
    }

    [Fact]
    public async Task Packing_is_refused_with_422_naming_the_wrong_extra_or_missing_item_and_nothing_is_stored()
    {
        var (number, sku, barcode, _) = await PackableAsync();
        var other = number.Replace("PK", "", StringComparison.Ordinal);
        using var api = Factory.CreateApiClient();

        var wrong = await api.PostAsJsonAsync("/api/v1/pack", Request(number, [barcode, "6900000000017", sku, "NOBAR-" + other]));
        var missing = await api.PostAsJsonAsync("/api/v1/pack", Request(number, [barcode]));
        var extra = await api.PostAsJsonAsync("/api/v1/pack", Request(number, [barcode, sku, sku]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("6900000000017", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("is missing: 1 of 2", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, extra.StatusCode);
        Assert.Contains("one too many", await extra.Content.ReadAsStringAsync());
        await using var db = await PackingTestData.Db(Factory);
        Assert.False(await db.Set<PackRecord>().AnyAsync(p => p.TrackingNo == number));
    }

    [Fact]
    public async Task A_verified_parcel_is_stored_once_packing_it_again_needs_replace_and_is_audited()
    {
        var (number, sku, barcode, _) = await PackableAsync();
        var coaster = (await Factory.GetService<PackingService>().OpenAsync(number)).Parcel!.Items[1].Sku;
        using var api = Factory.CreateApiClient();
        string[] scans = [barcode, coaster.ToLowerInvariant(), " " + sku + " "];

        var first = await api.PostAsJsonAsync("/api/v1/pack", Request(number, scans, 0.82m));
        var twice = await api.PostAsJsonAsync("/api/v1/pack", Request(number, scans, 0.9m));
        var again = await api.PostAsJsonAsync("/api/v1/pack", Request(number, scans, 0.9m, replace: true, station: "B-02"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var record = await first.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Equal((0.82m, 3, 1, "A-01"), (record.GetProperty("weightKg").GetDecimal(), record.GetProperty("itemCount").GetInt32(), record.GetProperty("refusedScans").GetInt32(), record.GetProperty("station").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await using var db = await PackingTestData.Db(Factory);
        var stored = await db.Set<PackRecord>().SingleAsync(p => p.TrackingNo == number);
        Assert.Equal((0.9m, "B-02", PackWeightSource.Typed), (stored.WeightKg, stored.Station, stored.WeightSource));
        Assert.True(stored.PackedAtUtc >= stored.StartedAtUtc);
        var audit = await db.Set<AuditEntry>().SingleAsync(a => a.Action == "packing.repack" && a.EntityId == stored.Id.ToString());
        Assert.Contains("0.82 kg at A-01", audit.Details);
        var opened = await api.GetFromJsonAsync<JsonElement>($"/api/v1/pack/{number}");
        Assert.Equal("B-02", opened.GetProperty("packed").GetProperty("station").GetString());
    }

    [Fact]
    public async Task Bad_weights_and_a_missing_station_are_refused_with_the_field_named()
    {
        var (number, _, barcode, _) = await PackableAsync(1);
        using var api = Factory.CreateApiClient();

        foreach (var (body, field) in new[]
                 {
                     (Request(number, [barcode], 0m), "weightKg"),
                     (Request(number, [barcode], 250m), "weightKg"),
                     (Request(number, [barcode], 1m, station: " "), "station"),
                     (Request(number, [], 1m), "scans"),
                 })
        {
            var response = await api.PostAsJsonAsync("/api/v1/pack", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task A_split_parcel_is_verified_against_its_own_lines_and_a_merged_lead_against_every_merged_orders_lines()
    {
        var code = PackingTestData.Unique("S");
        var accountId = await PackingTestData.AccountAsync(Factory, code);
        var split = await PackingTestData.OrderAsync(Factory, "ORD-" + code, [("A-" + code, "甲", 3), ("B-" + code, "乙", 1)], parcelCount: 2);
        await using (var db = await PackingTestData.Db(Factory))
        {
            db.AddRange(
                new OrderParcelLine { OrderId = split.Id, ParcelNo = 1, LineNo = 1, Quantity = 2 },
                new OrderParcelLine { OrderId = split.Id, ParcelNo = 2, LineNo = 1, Quantity = 1 },
                new OrderParcelLine { OrderId = split.Id, ParcelNo = 2, LineNo = 2, Quantity = 1 });
            await db.SaveChangesAsync();
        }
        var second = await PackingTestData.WaybillAsync(Factory, split, accountId, code, parcelNo: 2);
        var lead = await PackingTestData.OrderAsync(Factory, "ORD-L-" + code, [("C-" + code, "丙", 1)]);
        await PackingTestData.OrderAsync(Factory, "ORD-F-" + code, [("C-" + code, "丙", 2), ("D-" + code, "丁", 1)], mergedInto: lead.Id);
        var merged = await PackingTestData.WaybillAsync(Factory, lead, accountId, code);
        var service = Factory.GetService<PackingService>();

        var parcel = (await service.OpenAsync(second)).Parcel!;
        var leadParcel = (await service.OpenAsync(merged)).Parcel!;

        Assert.Equal([("A-" + code, 1), ("B-" + code, 1)], parcel.Items.Select(i => (i.Sku, i.Quantity)));
        Assert.Equal((2, 2), (parcel.ParcelNo, parcel.ParcelCount));
        // One SKU on two merged orders' lines is one item to scan three times.
        Assert.Equal([("C-" + code, 3), ("D-" + code, 1)], leadParcel.Items.Select(i => (i.Sku, i.Quantity)));
    }

    [Fact]
    public async Task Throughput_counts_parcels_per_station_per_Beijing_hour_of_the_day()
    {
        var day = new DateOnly(2030, 6, 1);
        var code = PackingTestData.Unique("T");
        var accountId = await PackingTestData.AccountAsync(Factory, code);
        var station = "TP-" + code[..6];
        // 2030-06-01 09:10 and 09:40 Beijing (01:10, 01:40 UTC), 14:05 Beijing, and 2030-06-02 00:30 Beijing (the next day).
        DateTime[] packedUtc = [new(2030, 6, 1, 1, 10, 0, DateTimeKind.Utc), new(2030, 6, 1, 1, 40, 0, DateTimeKind.Utc), new(2030, 6, 1, 6, 5, 0, DateTimeKind.Utc), new(2030, 6, 1, 16, 30, 0, DateTimeKind.Utc)];
        await using (var db = await PackingTestData.Db(Factory))
        {
            foreach (var at in packedUtc)
            {
                var order = await PackingTestData.OrderAsync(Factory, PackingTestData.Unique("ORD-T"), [("X", "x", 1)]);
                var number = await PackingTestData.WaybillAsync(Factory, order, accountId, code);
                var waybillId = await db.Set<MerchantPortal.Web.Features.Waybills.Waybill>().Where(w => w.TrackingNo == number).Select(w => w.Id).SingleAsync();
                db.Add(new PackRecord { WaybillId = waybillId, OrderId = order.Id, TrackingNo = number, Station = station, PackedBy = "test", StartedAtUtc = at.AddMinutes(-2), PackedAtUtc = at, WeightKg = 1m, ItemCount = 1 });
            }
            await db.SaveChangesAsync();
        }
        using var api = Factory.CreateApiClient();

        var result = await api.GetFromJsonAsync<JsonElement>("/api/v1/pack/throughput?day=2030-06-01");
        var bad = await api.GetAsync("/api/v1/pack/throughput?day=June");

        var mine = result.GetProperty("stations").EnumerateArray().Single(s => s.GetProperty("station").GetString() == station);
        var hours = mine.GetProperty("hours").EnumerateArray().Select(h => h.GetInt32()).ToList();
        Assert.Equal(3, mine.GetProperty("total").GetInt32());
        Assert.Equal((24, 2, 1), (hours.Count, hours[9], hours[14]));
        Assert.Equal(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result.GetProperty("day").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_bill_charging_2_kg_for_a_parcel_packed_at_0_8_kg_is_heavier_than_packed_without_a_rate_card_and_1_kg_is_not()
    {
        var code = PackingTestData.Unique("F");
        var accountId = await PackingTestData.AccountAsync(Factory, code);
        var issued = new DateTime(2031, 3, 5, 2, 0, 0, DateTimeKind.Utc);
        var numbers = new List<string>();
        foreach (var i in new[] { 1, 2 })
        {
            var order = await PackingTestData.OrderAsync(Factory, $"ORD-{code}-{i}", [($"SKU-{code}-{i}", "杯子", 1)], weightKg: 0.8m);
            numbers.Add(await PackingTestData.WaybillAsync(Factory, order, accountId, code, issuedUtc: issued));
            var packed = await Factory.GetService<PackingService>().PackAsync(new PackInput(numbers[^1], "A-01", [$"SKU-{code}-{i}"], 0.8m, PackWeightSource.Scale), "test");
            Assert.Equal(PackOutcome.Packed, packed.Outcome);
        }
        var csv = $"\uFEFF运单号,计费重量(kg),金额(元)\r\n{numbers[0]},2.0,18.00\r\n{numbers[1]},1.0,12.00\r\n";

        var billId = await FreightFixture.ReconcileAsync(Factory, accountId, Encoding.UTF8.GetBytes(csv), "bill.csv");

        var rows = (await Factory.GetService<FreightBillService>().DiscrepanciesAsync(billId))!;
        var heavier = Assert.Single(rows, d => d.Kind == FreightDiscrepancyKind.HeavierThanPacked);
        Assert.Equal((numbers[0], 2.0m, 0.8m, 0.8m, 0m), (heavier.TrackingNo, heavier.BilledWeightKg, heavier.PackedWeightKg, heavier.OurWeightKg, heavier.Difference));
        Assert.DoesNotContain(rows, d => d.TrackingNo == numbers[1] && d.Kind == FreightDiscrepancyKind.HeavierThanPacked);
    }
}
