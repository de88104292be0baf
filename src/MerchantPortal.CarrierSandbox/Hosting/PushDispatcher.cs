using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerchantPortal.CarrierSandbox.Protocol;
using MerchantPortal.CarrierSandbox.Simulation;
using MerchantPortal.CarrierSandbox.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MerchantPortal.CarrierSandbox.Hosting;

public sealed record PushPassResult(int Batches, int Succeeded, int Failed, int Items);

/// <summary>
/// Pushes subscription results to merchants (carrier-protocol.md §2.5): RequestType 101 for 1008, 102 for 8008,
/// full trace history every time, several waybills per push. The real retry schedule is unknown (§2.5), so ours is
/// exponential back-off from PushRetryBaseSeconds, capped at one hour, in real time.
/// </summary>
public sealed class PushDispatcher(
    IOptions<SandboxOptions> options,
    SandboxStore store,
    SandboxClock clock,
    ParcelSimulator simulator,
    IHttpClientFactory httpClientFactory,
    ILogger<PushDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "MerchantPortal.CarrierSandbox.Push";

    /// <summary>Our choice (the real maximum is unconfirmed, §2.10).</summary>
    public const int MaxItemsPerPush = 100;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);
    private readonly SandboxOptions _options = options.Value;
    private readonly SemaphoreSlim _pass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.05, _options.PushIntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(ignoreBackoff: false, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Kdniao sandbox push pass failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host is stopping.
        }
    }

    /// <summary>One dispatch pass; <c>admin/push-now</c> calls this directly.</summary>
    public async Task<PushPassResult> RunOnceAsync(bool ignoreBackoff, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            store.SaveSimulatedNow(clock.GetUtcNow());
            var due = store.DueSubscriptions(clock.RealUtcNow, ignoreBackoff);
            var pending = new List<(SubscriptionRow Sub, ParcelView View)>();
            foreach (var sub in due)
            {
                var carrier = simulator.Carriers.Find(sub.ShipperCode);
                if (carrier is null)
                {
                    continue;
                }

                var view = simulator.View(carrier, sub.LogisticCode);
                if (view.Snapshot.Traces.Count > sub.PushedCount)
                {
                    pending.Add((sub, view));
                }
            }

            int batches = 0, ok = 0, failed = 0, items = 0;
            foreach (var group in pending.GroupBy(p => (p.Sub.Merchant, p.Sub.Callback, PushType: p.Sub.RequestType == "8008" ? "102" : "101")))
            {
                foreach (var chunk in group.Chunk(MaxItemsPerPush))
                {
                    batches++;
                    items += chunk.Length;
                    if (await PushAsync(group.Key.Merchant, group.Key.Callback!, group.Key.PushType, chunk, cancellationToken))
                    {
                        ok++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }

            return new(batches, ok, failed, items);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<bool> PushAsync(string merchantId, string callback, string pushType, (SubscriptionRow Sub, ParcelView View)[] chunk, CancellationToken ct)
    {
        var merchant = _options.Merchants.FirstOrDefault(m => m.EBusinessId == merchantId);
        if (merchant is null)
        {
            return false;
        }

        var data = new JsonArray([.. chunk.Select(c => PushItem(merchantId, pushType == "102", c.Sub, c.View))]);

        var body = new JsonObject
        {
            ["EBusinessID"] = merchantId,
            ["PushTime"] = BeijingTime.Format(clock.GetUtcNow()),
            ["Count"] = chunk.Length.ToString(CultureInfo.InvariantCulture),
            ["Data"] = data,
        };
        var requestData = body.ToJsonString(KdniaoProtocolHandler.WireJson);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = requestData,
            ["RequestType"] = pushType,
            ["DataSign"] = KdniaoSign.Compute(requestData, merchant.AppKey),
            ["EBusinessID"] = merchantId,
        });

        var failure = await PostAsync(callback, form, ct);
        var realNow = clock.RealUtcNow;
        store.RecordPushAttempt(merchantId, callback, pushType, realNow, chunk.Length, failure is null, failure);
        foreach (var (sub, view) in chunk)
        {
            if (failure is null)
            {
                store.MarkPushed(sub.Id, view.Snapshot.Traces.Count, view.Snapshot.IsFinal);
            }
            else
            {
                var attempts = sub.Attempts + 1;
                var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Max(0, _options.PushRetryBaseSeconds) * Math.Pow(2, Math.Min(attempts - 1, 20))));
                store.MarkPushFailed(sub.Id, attempts, realNow + delay);
            }
        }

        if (failure is not null)
        {
            logger.LogInformation("Kdniao sandbox push to {Callback} failed: {Failure}", callback, failure);
        }

        return failure is null;
    }

    /// <summary>One parcel of a push (carrier-protocol.md §2.5): its state and traces; 102 adds StateEx, location and courier.</summary>
    private static JsonObject PushItem(string merchantId, bool valueAdded, SubscriptionRow sub, ParcelView view)
    {
        var item = new JsonObject
        {
            ["EBusinessID"] = merchantId,
            ["OrderCode"] = sub.OrderCode ?? view.OrderCode ?? "",
            ["ShipperCode"] = sub.ShipperCode,
            ["LogisticCode"] = sub.LogisticCode,
            ["Success"] = true,
            ["Reason"] = "",
            ["State"] = view.Snapshot.State,
        };
        if (valueAdded)
        {
            item["StateEx"] = view.Snapshot.StateEx;
            item["Location"] = view.Snapshot.Location ?? "";
        }

        item["CallBack"] = sub.Callback;
        item["EstimatedDeliveryTime"] = view.Journey is null ? "" : BeijingTime.Format(view.Journey.EstimatedDeliveryUtc);
        item["Traces"] = KdniaoProtocolHandler.Traces(view.Snapshot, valueAdded, descending: false);
        if (valueAdded && view.Picker is not null)
        {
            item["PickerInfo"] = KdniaoProtocolHandler.Picker(view.Picker);
        }

        return item;
    }

    /// <summary>Posts a push; null when the receiver answered Success=true, else why not.</summary>
    private async Task<string?> PostAsync(string callback, FormUrlEncodedContent form, CancellationToken ct)
    {
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).PostAsync(callback, form, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return !response.IsSuccessStatusCode
                ? $"HTTP {(int)response.StatusCode}"
                : LenientJson.TryParse(text, out var answer) && IsTrue(answer.Prop("Success"))
                    ? null
                    : $"receiver did not answer Success=true: {Truncate(text)}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }

    private static bool IsTrue(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => string.Equals(value.Value.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }
}
