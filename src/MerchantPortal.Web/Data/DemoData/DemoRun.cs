using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Handover;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Kpis.Hubs;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.EntityFrameworkCore;
using Province = MerchantPortal.Web.Infrastructure.Province;

namespace MerchantPortal.Web.Data.DemoData;

/// <summary>
/// The demo as a real run (docs/decisions/0014-demo-data-is-a-real-run.md): weeks of a shop's fulfilment produced by
/// the portal's own services against the in-process carrier sandbox, with the <see cref="DemoTimeline"/> moved from
/// −Days to now in steps. Orders arrive in a daily shop export (the import service, a generated file) and through the
/// REST API; Ops approve them twice a day and issue waybills in real batches through the gateway; the sandbox moves the
/// parcels; scans come back by push (the sandbox's push-now, over HTTP to the real receiver) and by the poll job; the
/// monitoring sweep opens cases; customer service opens returns and books pickups; refunds follow the return parcels;
/// a carrier bill is imported and reconciled against filled rate cards; hub alerts and KPIs are computed. Nothing is
/// written here that a service of the owning feature would not write itself.
/// Runs once per empty database, in the background after the portal serves (P10); a restart with orders present does
/// nothing.
/// </summary>
public sealed class DemoRun(
    IServiceProvider root,
    DemoTimeline timeline,
    DemoRunProgress progress,
    DemoAddresses addresses,
    RegionCatalog regions,
    IDbContextFactory<PortalDbContext> dbFactory,
    IHostApplicationLifetime lifetime,
    ILogger<DemoRun> logger) : BackgroundService, IDemoDataSeeder
{
    private const string Ops = "ops@demo.local";
    private const string CustomerService = "cs@demo.local";
    private static readonly TimeSpan Beijing = BusinessCalendar.Offset;

    /// <summary>Beijing hours of the steps: every hour through the 09:00–12:00 pickup window, so a pickup reads collected inside it.</summary>
    private static readonly double[] StepHours = [0.5, 4.5, 8.5, 9.5, 10.5, 11.5, 13.5, 16.5, 20.5];
    private const double ImportHour = 8.5, MorningWave = 8.5, AfternoonWave = 16.5, ReturnsHour = 13.5, EveningHour = 20.5;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "丽"];
    private static readonly string[] Streets = ["人民路", "解放路", "中山路", "建设路", "和平路", "文化路", "新华路", "长江路", "黄河路", "学院路"];
    private static readonly (string Sku, string Name, decimal Price, decimal Weight)[] Products =
    [
        ("SKU-TEA-01", "西湖龙井 250g 礼盒", 128m, 0.3m), ("SKU-CUP-02", "玻璃茶杯 两只装", 39.9m, 0.3m), ("SKU-MUG-03", "陶瓷马克杯", 25m, 0.4m),
        ("SKU-POT-04", "紫砂壶", 268m, 0.6m), ("SKU-SET-05", "旅行茶具套装", 159m, 0.9m), ("SKU-BAG-06", "茶包 100 袋", 49m, 0.2m),
    ];
    private static readonly (string Name, int Weight)[] ShopChannels = [("天猫", 35), ("京东", 20), ("抖音", 20), ("拼多多", 15), ("淘宝", 10)];

    /// <summary>Share of each day's waybills per carrier: the network carriers carry most, SF and JD the urgent rest.</summary>
    private static readonly (string Code, int Weight)[] CarrierShare = [("ZTO", 30), ("YTO", 22), ("YD", 18), ("SF", 16), ("JD", 14)];

    private sealed record DemoOrder(string OrderNo, DateTime PaidUtc, string Receiver, string Phone, Province Province, string City, string District,
        string Address, string Channel, IReadOnlyList<(string Sku, string Name, int Quantity, decimal Price, decimal Weight)> Lines);

    private readonly List<DemoOrder> queue = [];
    /// <summary>The services of the current step: a scope per step, so the jobs' transient parts do not pile up in the root.</summary>
    private IServiceProvider? step;
    private DemoDataOptions options = new();
    private Random random = new(1);
    private int sequence;

    /// <summary>Runs before the other seeders: decides whether there is a run to do, and if so turns the clock back first.</summary>
    public int Order => -1;

    public async Task SeedAsync(DemoDataOptions demo, CancellationToken ct)
    {
        options = demo;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (demo.Mode != DemoDataMode.Run || demo.Orders <= 0 || await db.Set<Order>().AnyAsync(ct))
        {
            progress.Skip();
            return;
        }
        // Users, carrier accounts and everything after are created at the start of the history, not after it.
        timeline.Rewind(TimeSpan.FromDays(demo.Days) + TimeSpan.FromHours(12));
        progress.Start();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!progress.IsRunning)
        {
            return;
        }
        // The sandbox and the push receiver are reached over HTTP: wait until Kestrel listens.
        await WhenStartedAsync(stoppingToken);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await RunAsync(stoppingToken);
            progress.Complete();
            logger.LogInformation("Demo run finished in {Elapsed}: {Orders} orders over {Days} days", started.Elapsed, sequence, options.Days);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            progress.Fail("stopped");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The demo run failed after {Elapsed}", started.Elapsed);
            progress.Fail(ex.Message);
        }
        finally
        {
            timeline.Finish();
        }
    }

    private T Get<T>() where T : notnull => (step ?? root).GetRequiredService<T>();

    private Task WhenStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        random = new Random(options.Seed);
        var now = DateTime.SpecifyKind(timeline.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var end = now + (-timeline.Offset);
        var firstDay = (now + Beijing).Date.AddDays(1);
        var days = Math.Max(1, options.Days);
        var perDay = Math.Max(1.0, options.Orders / (double)days);
        await FillRateCardsAsync(ct);
        await FillSlaRulesAsync(ct);
        // Refunds move money through the in-process WeChat Pay sandbox (processing, then a signed notification),
        // unless Admin has already chosen a refund method.
        if (PaymentSandboxSetup.Enabled(root.GetRequiredService<IConfiguration>()) && await root.GetRequiredService<RefundSettings>().MethodAsync(ct) == RefundMethod.None)
        {
            await PaymentSandboxSetup.ConnectAsync(root, "demo", ct);
        }

        var steps = new List<DateTime>();
        for (var day = firstDay; DateTime.SpecifyKind(day - Beijing, DateTimeKind.Utc) < end; day = day.AddDays(1))
        {
            steps.AddRange(StepHours.Select(h => DateTime.SpecifyKind(day.AddHours(h) - Beijing, DateTimeKind.Utc)).Where(at => at < end));
        }
        var previous = steps[0].AddHours(-4);
        for (var i = 0; i < steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await using var scope = root.CreateAsyncScope();
            step = scope.ServiceProvider;
            var at = steps[i];
            var hour = (at + Beijing).TimeOfDay.TotalHours;
            var isLastDay = (end + Beijing).Date == (at + Beijing).Date;
            // Customers pay around the clock, more in the evening; the shop systems push some at once (API), the
            // rest arrives in the morning export.
            Arrivals(previous, at, perDay * Weekday(at));
            await ApiOrdersAsync(previous, at, ct);
            timeline.MoveTo(at);
            if (hour == ImportHour)
            {
                await ImportAsync(at, ct);
            }
            // Today's afternoon round has not happened yet: what came in since the morning waits for review. And today's
            // morning round has only got through yesterday's orders, so the overnight export waits too, whatever hour
            // the run ends at (a demo started just after 08:30 Beijing would otherwise have nothing to review).
            if (hour == MorningWave || (hour == AfternoonWave && !isLastDay))
            {
                var paidBefore = isLastDay ? DateTime.SpecifyKind((at + Beijing).Date - Beijing, DateTimeKind.Utc) : (DateTime?)null;
                await ApproveAndShipAsync(paidBefore, ct);
            }
            if (hour == ReturnsHour && !isLastDay)
            {
                await ReturnsAsync(at, ct);
            }
            // Pushes come in by day; at night and after lunch the poll sweep is left to find what moved.
            await TrackAsync(pushToo: hour is not (0.5 or 4.5 or ReturnsHour), ct);
            await Get<NotificationDispatcher>().DispatchOutboxAsync(ct);
            await RefundsAsync(ct);
            if (hour == EveningHour)
            {
                await EveningAsync(ct);
            }
            previous = at;
            progress.Report(i * 95 / steps.Count);
        }

        await using var last = root.CreateAsyncScope();
        step = last.ServiceProvider;
        timeline.Finish();
        Arrivals(previous, timeline.GetUtcNow().UtcDateTime, perDay);
        await ApiOrdersAsync(previous, timeline.GetUtcNow().UtcDateTime, ct);
        await TrackAsync(pushToo: true, ct);
        await RefundsAsync(ct);
        await ReconcileFreightAsync(ct);
        await EveningAsync(ct);
        step = null;
    }

    private static double Weekday(DateTime utc) => (utc + Beijing).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.25 : 0.9;

    /// <summary>The orders paid between two steps, in time order; paid more in the evening than at night.</summary>
    private void Arrivals(DateTime from, DateTime to, double perDay)
    {
        var hours = (to - from).TotalHours;
        if (hours <= 0)
        {
            return;
        }
        var midHour = (from.AddHours(hours / 2) + Beijing).Hour;
        var intensity = midHour switch { < 7 => 0.3, < 12 => 1.0, < 19 => 1.1, _ => 1.6 };
        var expected = perDay / 24 * hours * intensity;
        var count = (int)Math.Floor(expected + random.NextDouble());
        var times = Enumerable.Range(0, count).Select(_ => from.AddSeconds(random.NextDouble() * hours * 3600)).Order().ToList();
        foreach (var paid in times)
        {
            var (province, city, district) = addresses.Pick(regions, random);
            var phone = "1" + "356789"[random.Next(6)] + random.Next(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
            var lineCount = random.Next(100) < 75 ? 1 : random.Next(2, 4);
            var lines = Enumerable.Range(0, lineCount).Select(_ => Products[random.Next(Products.Length)]).DistinctBy(p => p.Sku)
                .Select(p => (p.Sku, p.Name, Quantity: random.Next(1, 4), p.Price, p.Weight)).Select(l => (l.Sku, l.Name, l.Quantity, l.Price, l.Weight * l.Quantity)).ToList();
            var channel = Pick(ShopChannels);
            sequence++;
            queue.Add(new DemoOrder(
                $"{(channel is "京东" ? "JD" : channel is "抖音" ? "DY" : channel is "拼多多" ? "PDD" : "TB")}{paid + Beijing:yyMMdd}{sequence:D5}",
                paid,
                Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)],
                phone,
                province,
                city,
                district,
                $"{Streets[random.Next(Streets.Length)]} {random.Next(1, 999)} 号 {random.Next(1, 30)} 栋 {random.Next(101, 2999)}",
                // A fifth come from the shop's own store, whose system pushes each order through the API at once.
                random.Next(100) < 20 ? "OwnStore" : channel,
                lines));
        }
    }

    private string Pick((string Name, int Weight)[] weighted)
    {
        var ticket = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (name, weight) in weighted)
        {
            if (ticket < weight)
            {
                return name;
            }
            ticket -= weight;
        }
        return weighted[0].Name;
    }

    /// <summary>Own-store orders: POST /api/v1/orders with the demo API key as the shop system would, at their own minute.</summary>
    private async Task ApiOrdersAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var due = queue.Where(o => o.Channel == "OwnStore" && o.PaidUtc <= to).ToList();
        if (due.Count == 0)
        {
            return;
        }
        using var http = PortalClient();
        foreach (var o in due)
        {
            timeline.MoveTo(new DateTimeOffset(o.PaidUtc.AddMinutes(1)));
            if (http is null)
            {
                // No demo API key configured: the service the endpoint calls.
                await Get<OrderService>().CreateAsync(new NewOrder("OS" + o.OrderNo[2..], OrderChannel.OwnStore, o.Receiver, o.Phone, o.Province.Name, o.City, o.District,
                    o.Address, null, [.. o.Lines.Select(l => new NewOrderLine(l.Sku, l.Name, l.Quantity, l.Price, l.Weight))], null), "api:demo", ct);
                queue.Remove(o);
                continue;
            }
            var body = new
            {
                orderNo = "OS" + o.OrderNo[2..],
                channel = "OwnStore",
                receiver = new { name = o.Receiver, mobile = o.Phone, province = o.Province.Name, city = o.City, district = o.District, address = o.Address },
                lines = o.Lines.Select(l => new { sku = l.Sku, name = l.Name, quantity = l.Quantity, unitPrice = l.Price, weightKg = l.Weight }).ToArray(),
            };
            using var response = await http.PostAsJsonAsync("api/v1/orders", body, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The orders API refused demo order {body.orderNo}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
            queue.Remove(o);
        }
    }

    private HttpClient? PortalClient()
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return null;
        }
        var client = new HttpClient { BaseAddress = Get<PublicAddress>().BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
        return client;
    }

    /// <summary>The shops' overnight export, as Ops upload it each morning: one CSV in the portal's template, imported by the real job.</summary>
    private async Task ImportAsync(DateTime at, CancellationToken ct)
    {
        var rows = queue.Where(o => o.Channel != "OwnStore" && o.PaidUtc <= at).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        var csv = new StringBuilder("Order No,Channel,Receiver,Mobile,Province,City,District,Address,Postcode,SKU,Item,Qty,Unit Price,Weight (kg),Paid At,Remark\n");
        foreach (var o in rows)
        {
            foreach (var l in o.Lines)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{o.OrderNo},{o.Channel},{o.Receiver},{o.Phone},{o.Province.Name},{o.City},{o.District},{o.Address},,{l.Sku},{l.Name},{l.Quantity},{l.Price:0.00},{l.Weight:0.###},{o.PaidUtc + Beijing:yyyy-MM-dd HH:mm:ss},\n");
            }
        }
        var importer = Get<OrderImportService>();
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var id = await importer.StoreAsync(content, $"shop-export-{at + Beijing:yyyyMMdd}.csv", Ops, start: true, ct);
        // The page's upload enqueues the job; running it here as well keeps the history in step (the lease lets one run work).
        await Get<OrderImportJob>().RunAsync(id, ct);
        await UntilAsync(async db => await db.Set<OrderImport>().AnyAsync(i => i.Id == id && (i.Status == ImportStatus.Completed || i.Status == ImportStatus.Failed), ct), "order import", ct);
        queue.RemoveAll(rows.Contains);
    }

    /// <summary>
    /// Ops' round: approve what waits for review (a few held for a question to the customer, a few cancelled at the
    /// customer's request), then a waybill batch per carrier for the approved orders, as the waybills page starts them.
    /// </summary>
    /// <param name="paidBefore">Only orders paid before this are reviewed (the last morning's round); null: all.</param>
    private async Task ApproveAndShipAsync(DateTime? paidBefore, CancellationToken ct)
    {
        List<string> pending;
        List<(string OrderNo, string Province)> approved;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            pending = await db.Set<Order>().AsNoTracking()
                .Where(o => o.Status == OrderStatus.PendingReview && (paidBefore == null || o.PaidAtUtc < paidBefore))
                .OrderBy(o => o.Id).Select(o => o.OrderNo).ToListAsync(ct);
        }
        var orders = Get<OrderService>();
        var hold = pending.Where(_ => random.Next(100) < 2).ToList();
        var cancel = pending.Except(hold).Where(_ => random.Next(100) < 2).ToList();
        if (hold.Count > 0)
        {
            await orders.ApplyAsync(OrderAction.Hold, hold, Ops, "待与买家确认收货地址", ct);
        }
        if (cancel.Count > 0)
        {
            await orders.ApplyAsync(OrderAction.Cancel, cancel, Ops, "买家申请取消", ct);
        }
        var toApprove = pending.Except(hold).Except(cancel).ToList();
        if (toApprove.Count > 0)
        {
            await orders.ApplyAsync(OrderAction.Approve, toApprove, Ops, null, ct);
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            approved = (await db.Set<Order>().AsNoTracking().Where(o => o.Status == OrderStatus.Approved).OrderBy(o => o.Id)
                .Select(o => new { o.OrderNo, o.Province }).ToListAsync(ct)).Select(o => (o.OrderNo, o.Province)).ToList();
        }
        if (approved.Count == 0)
        {
            return;
        }
        var accounts = await AccountsAsync(ct);
        var byCarrier = approved.GroupBy(_ => Pick(CarrierShare)).Where(g => accounts.ContainsKey(g.Key));
        var batches = Get<WaybillBatchService>();
        foreach (var group in byCarrier)
        {
            var created = await batches.CreateAsync([.. group.Select(o => o.OrderNo)], accounts[group.Key], null, Ops, "manual", ct);
            if (created.BatchId is not { } batchId)
            {
                throw new InvalidOperationException($"A demo waybill batch for {group.Key} was refused: {created.Outcome}");
            }
            await Get<WaybillBatchJob>().RunAsync(batchId, ct);
            // Done when no runner holds it and every waybill is registered with tracking (and subscribed): the job does
            // that at its end, whichever runner (this one or a Hangfire worker) finished the batch.
            await UntilAsync(async db =>
                await db.Set<WaybillBatch>().AnyAsync(b => b.Id == batchId && b.Status != WaybillBatchStatus.Queued && b.Status != WaybillBatchStatus.Running, ct)
                && !await db.Set<Waybill>().AnyAsync(w => w.BatchId == batchId && w.ShipmentId == null && w.LiveOrderId != null, ct), "waybill batch", ct);
            await PackAndHandOverAsync(batchId, group.Key, ct);
        }
    }

    /// <summary>
    /// The warehouse after the labels: each parcel of the batch is verified item by item and weighed at one of two
    /// packing stations (the scale reads the goods within a few percent plus the box), then scanned onto the carrier's
    /// pickup, now and then twice (the second scan is flagged), and the pickup is closed.
    /// </summary>
    private async Task PackAndHandOverAsync(long batchId, string carrier, CancellationToken ct)
    {
        List<(string TrackingNo, decimal WeightKg)> parcels;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            parcels = (await db.Set<Waybill>().AsNoTracking().Where(w => w.BatchId == batchId && w.LiveOrderId != null)
                .Join(db.Set<Order>(), w => w.OrderId, o => o.Id, (w, o) => new { w.TrackingNo, o.TotalWeightKg, w.PickKey })
                .OrderBy(x => x.PickKey).ToListAsync(ct)).Select(x => (x.TrackingNo, x.TotalWeightKg)).ToList();
        }
        var packing = Get<PackingService>();
        for (var i = 0; i < parcels.Count; i++)
        {
            var opened = await packing.OpenAsync(parcels[i].TrackingNo, ct);
            if (opened is not { Outcome: PackOpenOutcome.Ready, Parcel: { } parcel })
            {
                continue;
            }
            var scans = parcel.Items.SelectMany(item => Enumerable.Repeat(item.Codes[0], item.Quantity)).ToList();
            var weight = decimal.Round(parcels[i].WeightKg * (0.97m + (decimal)random.NextDouble() * 0.06m) + 0.05m, 2);
            var packed = await packing.PackAsync(
                new PackInput(parcel.TrackingNo, i % 2 == 0 ? "A-01" : "A-02", scans, weight, PackWeightSource.Scale, RefusedScans: random.Next(100) < 3 ? 1 : 0), Ops, ct);
            if (packed.Outcome != PackOutcome.Packed)
            {
                throw new InvalidOperationException($"The demo could not pack {parcel.TrackingNo}: {packed.Outcome}");
            }
        }

        var handovers = Get<HandoverService>();
        var pickup = await handovers.OpenAsync(carrier, Get<BusinessCalendar>().Today().Date, null, Ops, ct);
        foreach (var (trackingNo, _) in parcels)
        {
            await handovers.ScanAsync(pickup.Id, trackingNo, Ops, ct);
            if (random.Next(100) < 3)
            {
                await handovers.ScanAsync(pickup.Id, trackingNo, Ops, ct);
            }
        }
        await handovers.CloseAsync(pickup.Id, Ops, ct);
    }

    private async Task<Dictionary<string, int>> AccountsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Set<CarrierAccount>().AsNoTracking().Where(a => !a.IsDisabled).OrderBy(a => a.Id).Select(a => new { a.ShipperCode, a.Id }).ToListAsync(ct))
            .GroupBy(a => a.ShipperCode).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Tracking as it happens: the sandbox pushes what moved (every other step, so the poll job finds some scans first),
    /// the poll sweep asks for what is due, the monitoring sweep opens cases for what went quiet or late.
    /// </summary>
    private async Task TrackAsync(bool pushToo, CancellationToken ct)
    {
        if (pushToo)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var sandbox = Get<SandboxAddress>().BaseUrl;
            using var response = await http.PostAsync(new Uri(sandbox + "/admin/push-now"), null, ct);
            response.EnsureSuccessStatusCode();
        }
        await Get<TrackingPollJob>().RunAsync(ct);
        // Silent parcels' forecasts move before the monitor looks (the will-miss-the-promise rule reads them).
        await Get<Features.Tracking.Prediction.PredictionSweepJob>().SweepAsync(ct);
        await Get<MonitoringScanJob>().RunAsync(ct);
        await Get<PickupNoShowJob>().RunAsync(ct);
    }

    /// <summary>
    /// Refund decisions the return parcels triggered, handed to the payment path by the real job (it also runs from
    /// Hangfire; one claim wins). Their outcome arrives later, by the provider's notification; refunds still pending from
    /// an earlier step are asked about, as the query job does.
    /// </summary>
    private async Task RefundsAsync(CancellationToken ct)
    {
        List<long> requested;
        List<long> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            requested = await db.Set<Refund>().AsNoTracking().Where(r => r.Status == RefundStatus.Requested).Select(r => r.ReturnId).ToListAsync(ct);
            pending = await db.Set<Refund>().AsNoTracking().Where(r => r.Status == RefundStatus.Pending && r.Method == RefundMethod.WeChatPay).Select(r => r.Id).ToListAsync(ct);
        }
        foreach (var id in pending)
        {
            await Get<RefundQueryJob>().RunAsync(id, ct);
        }
        foreach (var id in requested)
        {
            await Get<RefundJob>().RunAsync(id, ct);
        }
    }

    /// <summary>
    /// Customer service at midday: a few customers of parcels signed for in the last days send goods back; each return
    /// gets a door pickup in tomorrow morning's window at the customer's address.
    /// </summary>
    private async Task ReturnsAsync(DateTime at, CancellationToken ct)
    {
        List<(string OrderNo, string Sku, int Quantity)> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var from = at.AddDays(-4);
            var orderIds = await db.Set<Shipment>().AsNoTracking()
                .Where(s => s.Direction == ShipmentDirection.Forward && s.Status == ShipmentStatus.Delivered && s.DeliveredAtUtc >= from && s.OrderId != null)
                .Where(s => !db.Set<ReturnRequest>().Any(r => r.OrderId == s.OrderId))
                .OrderBy(s => s.Id).Select(s => s.OrderId!.Value).ToListAsync(ct);
            // About 6 in 100 signed-for parcels come back, at most six a day, and at least one on a day with any
            // (a shop sees returns every day; a small demo would otherwise often have none to follow to its refund).
            var chosen = orderIds.Where(_ => random.Next(100) < 6).Take(6).ToList();
            if (chosen.Count == 0 && orderIds.Count > 0)
            {
                chosen.Add(orderIds[random.Next(orderIds.Count)]);
            }
            candidates = (await db.Set<Order>().AsNoTracking().Where(o => chosen.Contains(o.Id)).OrderBy(o => o.Id)
                .Select(o => new { o.OrderNo, Line = o.Lines.OrderBy(l => l.LineNo).Select(l => new { l.Sku, l.Quantity }).First() }).ToListAsync(ct))
                .Select(x => (x.OrderNo, x.Line.Sku ?? "", x.Line.Quantity)).ToList();
        }
        var returns = Get<ReturnService>();
        var pickups = Get<PickupService>();
        var tomorrow = (at + Beijing).Date.AddDays(1);
        var window = (Start: DateTime.SpecifyKind(tomorrow.AddHours(9) - Beijing, DateTimeKind.Utc), End: DateTime.SpecifyKind(tomorrow.AddHours(12) - Beijing, DateTimeKind.Utc));
        ReturnReason[] reasons = [ReturnReason.SizeOrFit, ReturnReason.NoLongerNeeded, ReturnReason.Damaged, ReturnReason.NotAsDescribed, ReturnReason.WrongItem];
        foreach (var (orderNo, sku, quantity) in candidates)
        {
            var reason = reasons[random.Next(reasons.Length)];
            var created = await returns.CreateAsync(new NewReturn(orderNo, [new NewReturnLine(sku, 1 + random.Next(quantity))], reason, null, ReturnResolution.Refund), CustomerService, ct);
            if (created.Id is not { } id)
            {
                logger.LogInformation("Demo return for {OrderNo} refused: {Problems}", orderNo, string.Join("; ", created.Problems.Select(p => p.Message)));
                continue;
            }
            await returns.ApproveAsync(id, Ops, ct);
            var booked = await pickups.BookAsync(id, new PickupInput(window.Start, window.End, null, null), CustomerService, ct);
            if (booked.Problems.Count > 0)
            {
                logger.LogInformation("Demo pickup for {OrderNo} refused: {Problems}", orderNo, string.Join("; ", booked.Problems.Select(p => p.Message)));
            }
        }
    }

    /// <summary>End of the day: Ops close the cases whose parcel has arrived after all; notifications go out; hubs and KPIs are computed.</summary>
    private async Task EveningAsync(CancellationToken ct)
    {
        List<long> settled;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            settled = await db.Set<ExceptionCase>().AsNoTracking()
                .Where(c => c.Status != CaseStatus.Resolved && c.ShipmentId != null)
                .Where(c => db.Set<Shipment>().Any(s => s.Id == c.ShipmentId && (s.Status == ShipmentStatus.Delivered || s.Status == ShipmentStatus.Returned)))
                .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        }
        var cases = Get<ExceptionService>();
        foreach (var id in settled.Where(_ => random.Next(100) < 80))
        {
            await cases.ResolveAsync(id, "包裹已送达 / parcel arrived", Ops, ct);
        }
        await Get<NotificationDispatcher>().RunAsync(ct);
        await Get<HubAlertJob>().EvaluateAsync(ct);
        // The day's deliveries join the lanes' history, so tomorrow's predictions come from the shop's own lanes.
        await Get<Features.Tracking.Prediction.LaneStatisticsJob>().RebuildAsync(ct);
        await Get<KpiRollup>().RunAsync(ct);
    }

    /// <summary>Rate cards as a merchant signs them: a national price per carrier, dearer for the far west.</summary>
    private async Task FillRateCardsAsync(CancellationToken ct)
    {
        var cards = Get<RateCardService>();
        var prices = new Dictionary<string, (decimal First, decimal Extra)>
        {
            ["ZTO"] = (5.5m, 2m), ["YTO"] = (5m, 2m), ["YD"] = (4.8m, 1.8m), ["SF"] = (12m, 4m), ["JD"] = (10m, 3.5m),
        };
        foreach (var (code, id) in await AccountsAsync(ct))
        {
            var (first, extra) = prices.GetValueOrDefault(code, (8m, 3m));
            await cards.SaveAsync(id,
            [
                new RateCardRowInput(null, 1m, first, extra),
                new RateCardRowInput("新疆维吾尔自治区", 1m, first + 12m, extra + 8m),
                new RateCardRowInput("西藏自治区", 1m, first + 14m, extra + 10m),
                new RateCardRowInput("青海省", 1m, first + 6m, extra + 4m),
            ], "admin@demo.local", ct);
        }
    }

    /// <summary>
    /// The merchant's delivery promises (they decide "promised date missed" and the KPIs' on-time rate), counted in days
    /// after the waybill as merchants word them: two days within the East (the warehouse's own region), four elsewhere
    /// and six to the far west for the network carriers; SF and JD a day sooner beyond the East.
    /// </summary>
    private async Task FillSlaRulesAsync(CancellationToken ct)
    {
        var sla = Get<SlaRuleService>();
        string[] farWest = ["新疆维吾尔自治区", "西藏自治区", "青海省"];
        foreach (var code in (await AccountsAsync(ct)).Keys)
        {
            var premium = code is "SF" or "JD";
            await sla.SaveAsync(null, new SlaRuleInput(code, null, null, premium ? 3 : 4), "admin@demo.local", ct);
            foreach (var province in regions.Provinces)
            {
                var days = province.Region == "East" ? 2 : farWest.Contains(province.Name) ? (premium ? 5 : 6) : 0;
                if (days > 0)
                {
                    await sla.SaveAsync(null, new SlaRuleInput(code, null, province.Name, days), "admin@demo.local", ct);
                }
            }
        }
    }

    /// <summary>
    /// The largest carrier's bill for the run's period, as its finance team would send it: most lines at the rate
    /// card's price, some billed heavier or dearer, one line twice, one number that is not ours. Imported and
    /// reconciled by the real job.
    /// </summary>
    private async Task ReconcileFreightAsync(CancellationToken ct)
    {
        var accounts = await AccountsAsync(ct);
        if (!accounts.TryGetValue("ZTO", out var accountId))
        {
            return;
        }
        List<(string TrackingNo, DateTime IssuedAtUtc)> waybills;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            waybills = (await db.Set<Waybill>().AsNoTracking().Where(w => w.CarrierAccountId == accountId && w.VoidedAtUtc == null).OrderBy(w => w.IssuedAtUtc)
                .Select(w => new { w.TrackingNo, w.IssuedAtUtc }).ToListAsync(ct)).Select(w => (w.TrackingNo, w.IssuedAtUtc)).ToList();
        }
        if (waybills.Count == 0)
        {
            return;
        }
        var cards = Get<RateCardService>();
        var csv = new StringBuilder("运单号,计费重量(kg),金额\n");
        foreach (var (trackingNo, _) in waybills)
        {
            if (await cards.ForWaybillAsync(trackingNo, ct) is not { Cost: { } cost } expected)
            {
                continue;
            }
            var (weight, amount) = random.Next(100) switch
            {
                < 4 => (expected.WeightKg + 1m, cost + 2m),
                < 7 => (expected.WeightKg, cost + 3m),
                _ => (expected.WeightKg, cost),
            };
            csv.Append(CultureInfo.InvariantCulture, $"{trackingNo},{weight:0.###},{amount:0.00}\n");
            if (trackingNo == waybills[waybills.Count / 2].TrackingNo)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{trackingNo},{weight:0.###},{amount:0.00}\n");
            }
        }
        csv.Append("7300000000001,1,6.50\n");
        var bills = Get<FreightBillService>();
        var from = DateOnly.FromDateTime(waybills[0].IssuedAtUtc + Beijing);
        var to = DateOnly.FromDateTime(waybills[^1].IssuedAtUtc + Beijing);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var billId = await bills.StoreAsync(content, $"中通月结账单-{to:yyyyMM}.csv", accountId, from, to, Ops, ct);
        await Get<FreightBillJob>().RunAsync(billId, ct);
        await UntilAsync(async db => await db.Set<FreightBill>().AnyAsync(b => b.Id == billId && (b.Status == FreightBillStatus.Completed || b.Status == FreightBillStatus.Failed), ct), "freight bill", ct);
    }

    /// <summary>Waits for work another runner (a Hangfire worker) may have claimed first.</summary>
    private async Task UntilAsync(Func<PortalDbContext, Task<bool>> done, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await done(db))
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The demo run waited five minutes for a {what} to finish.");
            }
            await Task.Delay(100, ct);
        }
    }
}
