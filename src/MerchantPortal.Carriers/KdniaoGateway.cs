using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.RateLimiting;
using Polly.Timeout;

namespace MerchantPortal.Carriers;

/// <summary>
/// Client side of the Kdniao aggregator protocol (carrier-protocol.md). Registered as a typed HttpClient by
/// <see cref="CarrierServiceCollectionExtensions.AddKdniaoGateway"/>, which supplies the resilience pipeline.
/// </summary>
internal sealed partial class KdniaoGateway(HttpClient http, TimeProvider time, CarrierMetrics metrics, ILogger<KdniaoGateway> logger) : ICarrierGateway
{
    // §1.2: the content type names the charset explicitly.
    private static readonly MediaTypeHeaderValue FormContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");

    public async Task<CarrierResult<WaybillIssued>> CreateWaybillAsync(CarrierAccountContext account, WaybillRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(request);

        var shipper = (request.ShipperCode ?? account.ShipperCode).Trim();
        var wa = account.WaybillAccount;
        var payload = new WaybillDto(
            request.OrderCode, shipper,
            wa?.CustomerName, wa?.CustomerPwd, wa?.MonthCode, wa?.SendSite, wa?.SendStaff,
            request.PayType, request.ExpType, request.WeightKg, Math.Max(1, request.Quantity), request.Remark,
            request.ReturnPrintTemplate ? 1 : 0,
            PartyDto.From(request.Sender), PartyDto.From(request.Receiver), CommodityDto.From(request.Commodities));

        // 1007 may be retried: the OrderCode makes it idempotent (§2.6, §7.4: a repeat answers 106).
        var x = await SendAsync(account, KdniaoRequestTypes.CreateWaybill, KdniaoJson.Serialize(payload), retrySafe: true, ct).ConfigureAwait(false);
        if (x.Failure is { } failure)
        {
            return failure.With<WaybillIssued>(null);
        }

        // §2.6: 106 "该订单号已下单成功" re-returns the original waybill; accept it whatever Success says.
        var replayed = x.ResultCode == "106";
        if (!x.Success && !replayed)
        {
            return BusinessFailure(x).With<WaybillIssued>(null);
        }

        var order = x.Body.Obj("Order") ?? x.Body;
        var trackingNo = order.Str("LogisticCode");
        if (trackingNo is null)
        {
            return Invalid(x, "Waybill answer has no Order.LogisticCode.").With<WaybillIssued>(null);
        }

        if (replayed)
        {
            LogWaybillReplayed(account.AccountKey, request.OrderCode, trackingNo);
        }

        return Ok(x).With(new WaybillIssued(
            order.Str("OrderCode") ?? request.OrderCode,
            trackingNo,
            order.Str("ShipperCode") ?? shipper,
            order.Str("MarkDestination"),
            order.Str("SortingCode"),
            order.Str("OriginName"),
            order.Str("DestinatioName", "DestinationName"), // sic: the protocol spells it "Destinatio" (§2.6)
            x.Body.Str("PrintTemplate"),
            replayed));
    }

    public async Task<CarrierResult> CancelWaybillAsync(CarrierAccountContext account, string orderCode, string trackingNo, string? shipperCode = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var wa = account.WaybillAccount;
        // §2.7: 1147 carries the waybill's ShipperCode. 1007 lets a request name another carrier than the account's
        // (WaybillRequest.ShipperCode), so always sending the account's carrier made such waybills uncancellable
        // (found by the contract tests: the sandbox answers 105 "运单号与订单号或快递公司不匹配").
        var shipper = (string.IsNullOrWhiteSpace(shipperCode) ? account.ShipperCode : shipperCode).Trim();
        var payload = new CancelWaybillDto(shipper, orderCode, trackingNo.Trim(), wa?.CustomerName, wa?.CustomerPwd);

        // Cancelling twice cannot do harm (the order is cancelled or it is not), so 1147 retries like a query.
        var x = await SendAsync(account, KdniaoRequestTypes.CancelWaybill, KdniaoJson.Serialize(payload), retrySafe: true, ct).ConfigureAwait(false);
        return x.Failure ?? (x.Success ? Ok(x) : BusinessFailure(x));
    }

    public async Task<CarrierResult<TrackingSnapshot>> TrackAsync(CarrierAccountContext account, string shipperCode, string trackingNo, string? customerName = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        shipperCode = shipperCode.Trim();
        trackingNo = trackingNo.Trim();

        // 1002 and 8001 take the same request (§2.3), so one body serves the fallback too.
        var json = KdniaoJson.Serialize(new TrackQueryDto(shipperCode, trackingNo, string.IsNullOrWhiteSpace(customerName) ? null : customerName));
        var x = await SendAsync(account, KdniaoRequestTypes.MonitorQuery, json, retrySafe: true, ct).ConfigureAwait(false);
        if (IsMonitorUnavailable(x))
        {
            LogTrackFallback(account.AccountKey, x.HttpStatus, x.ResultCode, x.Reason);
            x = await SendAsync(account, KdniaoRequestTypes.InstantQuery, json, retrySafe: true, ct).ConfigureAwait(false);
        }

        if (x.Failure is { } failure)
        {
            return failure.With<TrackingSnapshot>(null);
        }

        if (!x.Success && !IsNoTraceYet(x))
        {
            return BusinessFailure(x).With<TrackingSnapshot>(null);
        }

        return Ok(x).With(KdniaoTracking.ToSnapshot(x.Body, shipperCode, trackingNo));
    }

    public async Task<CarrierResult<SubscriptionAccepted>> SubscribeAsync(CarrierAccountContext account, string shipperCode, string trackingNo, Uri callback, string? orderCode = null, string? customerName = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(callback);
        var payload = new SubscribeDto(shipperCode.Trim(), trackingNo.Trim(), callback.AbsoluteUri,
            string.IsNullOrWhiteSpace(orderCode) ? null : orderCode,
            string.IsNullOrWhiteSpace(customerName) ? null : customerName);

        // Subscribing twice to the same number just keeps one subscription: retry-safe.
        var x = await SendAsync(account, KdniaoRequestTypes.MonitorSubscribe, KdniaoJson.Serialize(payload), retrySafe: true, ct).ConfigureAwait(false);
        if (x.Failure is { } failure)
        {
            return failure.With<SubscriptionAccepted>(null);
        }

        if (!x.Success)
        {
            return BusinessFailure(x).With<SubscriptionAccepted>(null);
        }

        var eta = KdniaoTime.ParseBeijing(x.Body.Str("EstimatedDeliveryTime"));
        return Ok(x).With(new SubscriptionAccepted(eta is null ? null : new DateTimeOffset(eta.Value, TimeSpan.Zero)));
    }

    public async Task<CarrierResult<PickupBooked>> BookPickupAsync(CarrierAccountContext account, PickupRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(request);

        var shipper = (request.ShipperCode ?? account.ShipperCode).Trim();
        var monthCode = account.WaybillAccount?.MonthCode;
        var payload = new PickupDto(
            request.OrderCode, shipper,
            PayType: string.IsNullOrWhiteSpace(monthCode) ? 1 : 3, // a monthly account pays (月结); else paid on pickup (现付)
            ExpType: 1,
            MonthCode: string.IsNullOrWhiteSpace(monthCode) ? null : monthCode,
            PartyDto.From(request.Sender), PartyDto.From(request.Receiver), CommodityDto.From(request.Commodities),
            request.WeightKg, Quantity: 1, request.Remark,
            KdniaoTime.FormatBeijing(request.WindowStartUtc), KdniaoTime.FormatBeijing(request.WindowEndUtc));

        // One attempt only (docs/engineering.md: carrier calls): a lost answer must not book a second courier. The caller may repeat
        // later with the SAME OrderCode: the aggregator then answers 105 "已经存在", recognised below.
        var x = await SendAsync(account, KdniaoRequestTypes.BookPickup, KdniaoJson.Serialize(payload), retrySafe: false, ct).ConfigureAwait(false);
        if (x.Failure is { } failure)
        {
            return failure.With<PickupBooked>(null);
        }

        var alreadyExisted = !x.Success && x.ResultCode == "105" && x.Reason is { } r && r.Contains("存在", StringComparison.Ordinal);
        if (!x.Success && !alreadyExisted)
        {
            return BusinessFailure(x).With<PickupBooked>(null);
        }

        if (alreadyExisted)
        {
            LogPickupAlreadyExisted(account.AccountKey, request.OrderCode);
        }

        // 1801's answer is unconfirmed (§2.8): read the 1001 shape and a few plausible courier fields wherever they sit.
        var order = x.Body.Obj("Order") ?? x.Body;
        var courier = x.Body.Obj("PickerInfo") ?? order;
        return Ok(x).With(new PickupBooked(
            order.Str("OrderCode") ?? request.OrderCode,
            order.Str("LogisticCode") ?? x.Body.Str("LogisticCode"),
            order.Str("PickupCode", "PickUpCode") ?? x.Body.Str("PickupCode", "PickUpCode"),
            courier.Str("CourierName", "PersonName", "DeliveryMan"),
            courier.Str("CourierPhone", "PersonTel", "DeliveryManTel"),
            alreadyExisted));
    }

    public async Task<CarrierResult> CancelPickupAsync(CarrierAccountContext account, string shipperCode, string orderCode, string? trackingNo, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var payload = new CancelPickupDto(shipperCode.Trim(), orderCode,
            string.IsNullOrWhiteSpace(trackingNo) ? null : trackingNo.Trim(),
            string.IsNullOrWhiteSpace(reason) ? null : reason);

        // One attempt, like the booking it cancels: the caller sees the outcome and decides.
        var x = await SendAsync(account, KdniaoRequestTypes.CancelPickup, KdniaoJson.Serialize(payload), retrySafe: false, ct).ConfigureAwait(false);
        return x.Failure ?? (x.Success ? Ok(x) : BusinessFailure(x));
    }

    public async Task<CarrierResult<IReadOnlyList<CarrierCandidate>>> RecogniseCarrierAsync(CarrierAccountContext account, string trackingNo, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var x = await SendAsync(account, KdniaoRequestTypes.RecogniseCarrier, KdniaoJson.Serialize(new RecogniseDto(trackingNo.Trim())), retrySafe: true, ct).ConfigureAwait(false);
        if (x.Failure is { } failure)
        {
            return failure.With<IReadOnlyList<CarrierCandidate>>(null);
        }

        if (!x.Success)
        {
            return BusinessFailure(x).With<IReadOnlyList<CarrierCandidate>>(null);
        }

        // §2.9: several candidates may come back; an empty list means "not recognised".
        IReadOnlyList<CarrierCandidate> candidates = [.. x.Body.Arr("Shippers")
            .Select(s => new CarrierCandidate(s.Str("ShipperCode") ?? string.Empty, s.Str("ShipperName") ?? string.Empty))
            .Where(c => c.ShipperCode.Length > 0)];
        return Ok(x).With(candidates);
    }

    public async Task<CarrierResult<ParsedAddress>> ParseAddressAsync(CarrierAccountContext account, string text, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var x = await SendAsync(account, KdniaoRequestTypes.ParseAddress, KdniaoJson.Serialize(new ParseAddressDto(text)), retrySafe: true, ct).ConfigureAwait(false);
        if (x.Failure is { } failure)
        {
            return failure.With<ParsedAddress>(null);
        }

        if (!x.Success)
        {
            return BusinessFailure(x).With<ParsedAddress>(null);
        }

        // §2.9: the exact 6001 field set is unconfirmed; accept the §2.6 names and the obvious alternatives.
        var d = x.Body.Obj("Data") ?? x.Body;
        return Ok(x).With(new ParsedAddress(
            d.Str("ProvinceName"),
            d.Str("CityName"),
            d.Str("ExpAreaName", "DistrictName", "AreaName"),
            d.Str("StreetName"),
            d.Str("Address", "DetailAddress"),
            d.Str("Name"),
            d.Str("Mobile", "Tel", "Phone")));
    }

    /// <summary>
    /// Signs and posts one request, returning either a transport-level failure or the parsed answer.
    /// Never throws except when <paramref name="ct"/> is cancelled.
    /// </summary>
    private async Task<Exchange> SendAsync(CarrierAccountContext account, string requestType, string requestData, bool retrySafe, CancellationToken ct)
    {
        var url = account.Endpoints.For(requestType);
        // §1.2/§1.3: the sign covers the exact JSON text; FormUrlEncodedContent encodes each value exactly once (§1.4).
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(
            [
                new("RequestData", requestData),
                new("EBusinessID", account.EBusinessId),
                new("RequestType", requestType),
                new("DataSign", KdniaoSigner.Sign(requestData, account.AppKey)),
                new("DataType", "2"),
            ]),
        };
        request.Content.Headers.ContentType = FormContentType;
        request.Options.Set(KdniaoRequestOptions.Policy, retrySafe ? KdniaoPolicies.Retry : KdniaoPolicies.SingleAttempt);
        request.Options.Set(KdniaoRequestOptions.AccountKey, account.AccountKey);
        request.Options.Set(KdniaoRequestOptions.RequestsPerSecond, account.RequestsPerSecond);

        var started = time.GetTimestamp();
        var x = await ExchangeAsync(request, ct).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        metrics.Record(account, requestType, OutcomeOf(requestType, x), elapsed);

        if (x.Failure is { } f)
        {
            LogCallFailed(requestType, account.AccountKey, f.Error, f.HttpStatus, f.Reason, elapsedMs);
        }
        else
        {
            LogCallDone(requestType, account.AccountKey, x.Success, x.ResultCode, x.Reason, elapsedMs);
        }

        return x;
    }

    private async Task<Exchange> ExchangeAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return Exchange.Failed(FromHttpStatus(response));
            }

            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!KdniaoJson.TryParseObject(body, out var root))
            {
                return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.InvalidResponse, "The answer is not a JSON object.", retriable: false, status));
            }

            return new Exchange(null, root, status, root.Bool("Success") ?? false, root.Str("ResultCode", "Code"), root.Str("Reason"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException)
        {
            return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.Timeout, "The carrier did not answer in time.", retriable: true));
        }
        catch (RateLimiterRejectedException)
        {
            return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.RateLimited, "Too many calls queued for this carrier account.", retriable: true));
        }
        catch (HttpRequestException e)
        {
            // In words without the address or port: the reason is stored and shown (a custom endpoint must not become a port probe).
            return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.Transport, OutboundHttp.Describe(e), retriable: !OutboundHttp.IsRefusal(e), e.StatusCode is { } s ? (int)s : null));
        }
        catch (OperationCanceledException)
        {
            // Not the caller's token: a timeout somewhere below the pipeline.
            return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.Timeout, "The carrier did not answer in time.", retriable: true));
        }
        catch (IOException e)
        {
            return Exchange.Failed(CarrierResult.Fail(CarrierErrorKind.Transport, OutboundHttp.Describe(e), retriable: !OutboundHttp.IsRefusal(e)));
        }
    }

    // §1.1: business errors come as HTTP 200, so any other status is a transport-level problem.
    private static CarrierResult FromHttpStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var reason = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => CarrierResult.Fail(CarrierErrorKind.RateLimited, reason, retriable: true, status),
            HttpStatusCode.RequestTimeout => CarrierResult.Fail(CarrierErrorKind.Timeout, reason, retriable: true, status),
            _ when status >= 500 => CarrierResult.Fail(CarrierErrorKind.Transport, reason, retriable: true, status),
            _ => CarrierResult.Fail(CarrierErrorKind.Transport, reason, retriable: false, status),
        };
    }

    // §4: ResultCode 405 "超出查询次数限制" is a quota, not a refusal: the same call works later.
    private static CarrierResult BusinessFailure(Exchange x)
    {
        var limited = x.ResultCode == "405" || (x.Reason?.Contains("超出查询次数", StringComparison.Ordinal) ?? false);
        return CarrierResult.Fail(
            limited ? CarrierErrorKind.RateLimited : CarrierErrorKind.Rejected,
            x.Reason ?? "The carrier refused the request.",
            retriable: limited,
            x.HttpStatus,
            x.ResultCode);
    }

    // The outcome tag says how the portal takes the answer: a refusal that carries the answer (106 replay, 105 pickup
    // already booked, no trace yet) is a success, so the error rate counts only what went wrong.
    private static string OutcomeOf(string requestType, Exchange x)
    {
        if (x.Failure is { } failure)
        {
            return CarrierMetrics.OutcomeOf(failure.Error);
        }
        if (x.Success || IsAnswerInRefusal(requestType, x))
        {
            return CarrierMetrics.Success;
        }
        return CarrierMetrics.OutcomeOf(BusinessFailure(x).Error);
    }

    private static bool IsAnswerInRefusal(string requestType, Exchange x) => requestType switch
    {
        KdniaoRequestTypes.CreateWaybill => x.ResultCode == "106",
        KdniaoRequestTypes.BookPickup => x.ResultCode == "105" && x.Reason is { } r && r.Contains("存在", StringComparison.Ordinal),
        KdniaoRequestTypes.MonitorQuery or KdniaoRequestTypes.InstantQuery => IsNoTraceYet(x),
        _ => false,
    };

    private static CarrierResult Ok(Exchange x) => CarrierResult.Ok(x.ResultCode, x.Reason, x.HttpStatus);

    private static CarrierResult Invalid(Exchange x, string reason) =>
        CarrierResult.Fail(CarrierErrorKind.InvalidResponse, reason, retriable: false, x.HttpStatus, x.ResultCode);

    // The reason text for "service not opened" is unconfirmed (§4), so 8001 falls back to the plain 1002 query when
    // the refusal speaks of opening/permission/support, when the user is the problem (104), or when the endpoint
    // does not exist (HTTP 404). Any other refusal (bad number, bad sign) would fail on 1002 just the same.
    private static bool IsMonitorUnavailable(Exchange x)
    {
        if (x.Failure is { } f)
        {
            return f.HttpStatus == 404;
        }

        if (x.Success)
        {
            return false;
        }

        if (x.ResultCode == "104")
        {
            return true;
        }

        return x.Reason is { } r && NotOpenedHints.Any(h => r.Contains(h, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] NotOpenedHints =
        ["未开通", "没有开通", "不支持", "权限", "未授权", "未订购", "套餐", "not opened", "not supported", "unsupported", "permission"];

    // A number the carrier has not scanned yet is reported as Success=false "暂无轨迹信息" by some plans and as
    // State 0 by others (§3.1); both mean Pending, not a refusal.
    private static bool IsNoTraceYet(Exchange x) =>
        x.Body.Str("State") == "0" || (x.Reason?.Contains("暂无轨迹", StringComparison.Ordinal) ?? false);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kdniao {RequestType} for account {AccountKey}: Success={Success} ResultCode={ResultCode} Reason={Reason} in {ElapsedMs} ms")]
    private partial void LogCallDone(string requestType, string accountKey, bool success, string? resultCode, string? reason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kdniao {RequestType} for account {AccountKey} failed: {Error} HTTP {HttpStatus} {Reason} after {ElapsedMs} ms")]
    private partial void LogCallFailed(string requestType, string accountKey, CarrierErrorKind error, int? httpStatus, string? reason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kdniao 8001 unavailable for account {AccountKey} (HTTP {HttpStatus}, ResultCode {ResultCode}, {Reason}); falling back to 1002")]
    private partial void LogTrackFallback(string accountKey, int? httpStatus, string? resultCode, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kdniao 1007 replayed for account {AccountKey}, order {OrderCode}: existing waybill {TrackingNo} (ResultCode 106)")]
    private partial void LogWaybillReplayed(string accountKey, string orderCode, string trackingNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kdniao 1801 for account {AccountKey}, order {OrderCode}: pickup already existed (ResultCode 105)")]
    private partial void LogPickupAlreadyExisted(string accountKey, string orderCode);

    /// <summary>One request's outcome: a transport-level failure, or the parsed answer.</summary>
    private sealed record Exchange(CarrierResult? Failure, JsonElement Body, int? HttpStatus, bool Success, string? ResultCode, string? Reason)
    {
        public static Exchange Failed(CarrierResult failure) => new(failure, default, failure.HttpStatus, false, failure.ResultCode, failure.Reason);
    }
}
