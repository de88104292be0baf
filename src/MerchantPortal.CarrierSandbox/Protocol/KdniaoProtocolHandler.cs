using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerchantPortal.CarrierSandbox.Hosting;
using MerchantPortal.CarrierSandbox.Simulation;
using MerchantPortal.CarrierSandbox.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MerchantPortal.CarrierSandbox.Protocol;

/// <summary>
/// The server side of the aggregator's form protocol (carrier-protocol.md §1–§4). Every path lands here and the
/// call is dispatched on RequestType (§1.1: the gateway appears to route by RequestType, not by path).
/// </summary>
public sealed class KdniaoProtocolHandler(
    IOptions<SandboxOptions> options,
    SandboxStore store,
    SandboxClock clock,
    ParcelSimulator simulator,
    AddressParser addressParser,
    FaultState faults,
    SandboxRateLimiter rateLimiter,
    ILogger<KdniaoProtocolHandler> logger)
{
    internal static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // carrier-protocol.md §1.4: Kdniao asks callers not to put these inside field values.
    private static readonly char[] ForbiddenChars = ['\'', '"', '#', '&', '+', '<', '>', '%', '\\'];

    private readonly SandboxOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        if (await InjectFaultAsync(context, ct) || await ReadFormAsync(context, ct) is not { } form)
        {
            return;
        }
        var (requestData, eBusinessId, requestType, dataSign) = form;

        var merchant = _options.Merchants.FirstOrDefault(m => string.Equals(m.EBusinessId.Trim(), eBusinessId, StringComparison.Ordinal));
        if (merchant is null)
        {
            // carrier-protocol.md §4: 104 用户问题 for an unknown user.
            await WriteAsync(context, Fail(eBusinessId, "104", "用户不存在或未开通该服务(EBusinessID 无效)"));
            return;
        }

        if (!KdniaoSign.Verify(requestData, merchant.AppKey, dataSign))
        {
            // carrier-protocol.md §4: 102 校验问题; nothing is done and nothing counted.
            logger.LogInformation("Kdniao sandbox refused a bad DataSign from {EBusinessId} (RequestType {RequestType})", eBusinessId, requestType);
            await WriteAsync(context, Fail(eBusinessId, "102", "数据签名校验失败(DataSign 不正确),请检查 AppKey 与签名算法"));
            return;
        }

        if (rateLimiter.TryAcquire(eBusinessId, requestType) is { } retryAfter)
        {
            if (_options.RateLimitMode == SandboxRateLimitMode.ResultCode405)
            {
                await WriteAsync(context, Fail(eBusinessId, "405", "超出查询次数限制,请稍后再试"));
            }
            else
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, Fail(eBusinessId, "405", "超出调用频率限制,请稍后再试"), StatusCodes.Status429TooManyRequests);
            }

            return;
        }

        store.CountCall(requestType);
        if (!LenientJson.TryParse(requestData, out var data) || data.ValueKind != JsonValueKind.Object)
        {
            await WriteAsync(context, Fail(eBusinessId, "401", "RequestData格式有误"));
            return;
        }

        await WriteAsync(context, Dispatch(merchant, eBusinessId, requestType, data));
    }

    /// <summary>The fault the sandbox was told to inject, if this call draws one; true when it answered the call.</summary>
    private async Task<bool> InjectFaultAsync(HttpContext context, CancellationToken ct)
    {
        var fault = faults.Current;
        if (fault.LatencyMs > 0)
        {
            await Task.Delay(fault.LatencyMs, ct);
        }

        if (fault.ErrorRate > 0 && Random.Shared.NextDouble() < fault.ErrorRate)
        {
            await WriteAsync(context, new JsonObject { ["Success"] = false, ["Reason"] = "系统繁忙,请稍后重试(sandbox 注入故障)" }, StatusCodes.Status500InternalServerError);
            return true;
        }

        if (fault.TooManyRequestsRate > 0 && Random.Shared.NextDouble() < fault.TooManyRequestsRate)
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteAsync(context, new JsonObject { ["Success"] = false, ["Reason"] = "请求过于频繁(sandbox 注入故障)" }, StatusCodes.Status429TooManyRequests);
            return true;
        }

        if (fault.TimeoutRate > 0 && Random.Shared.NextDouble() < fault.TimeoutRate)
        {
            // Hang until the client gives up; the client's own timeout is what ends this in practice.
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, _options.TimeoutSeconds)), ct);
            }
            catch (OperationCanceledException)
            {
                return true;
            }

            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            return true;
        }
        return false;
    }

    private sealed record ProtocolForm(string RequestData, string EBusinessId, string RequestType, string DataSign);

    /// <summary>The four form fields of a call (carrier-protocol.md §1.4), or null when the call was answered with why not.</summary>
    private static async Task<ProtocolForm?> ReadFormAsync(HttpContext context, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType)
        {
            await WriteAsync(context, Fail("", "101", "缺少必要参数:请以 application/x-www-form-urlencoded 提交 RequestData、EBusinessID、RequestType、DataSign"));
            return null;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            await WriteAsync(context, Fail("", "103", "请求体格式有误,无法按表单解析"));
            return null;
        }

        var requestData = form["RequestData"].ToString();
        var eBusinessId = form["EBusinessID"].ToString().Trim();
        var requestType = form["RequestType"].ToString().Trim();
        var dataSign = form["DataSign"].ToString().Trim();
        var missing = new[] { ("RequestData", requestData), ("EBusinessID", eBusinessId), ("RequestType", requestType), ("DataSign", dataSign) }
            .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
        if (missing.Count > 0)
        {
            await WriteAsync(context, Fail(eBusinessId, "101", "缺少必要参数: " + string.Join(",", missing)));
            return null;
        }

        // carrier-protocol.md §1.4: some clients URL-encode RequestData before handing it to a form encoder.
        var trimmed = requestData.TrimStart();
        if (trimmed.StartsWith("%7B", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("%5B", StringComparison.OrdinalIgnoreCase))
        {
            requestData = WebUtility.UrlDecode(requestData);
        }
        return new ProtocolForm(requestData, eBusinessId, requestType, dataSign);
    }

    private JsonObject Dispatch(SandboxMerchant merchant, string eBusinessId, string requestType, JsonElement data) => requestType switch
    {
        "1002" or "8001" or "8002" => Track(merchant, requestType, data),
        "1008" or "8008" => Subscribe(merchant, requestType, data),
        "1007" => CreateWaybill(merchant, data),
        "1147" => CancelWaybill(merchant, data),
        "1001" or "1801" => BookPickup(merchant, requestType, data),
        "1004" or "1802" => CancelPickup(merchant, data),
        "2002" => Recognise(merchant, data),
        "6001" => ParseAddress(merchant, data),
        _ => Fail(eBusinessId, "105", $"暂不支持该接口指令 RequestType={requestType}"),
    };

    internal static JsonObject Fail(string eBusinessId, string resultCode, string reason) => new()
    {
        ["EBusinessID"] = eBusinessId,
        ["Success"] = false,
        ["ResultCode"] = resultCode,
        ["Reason"] = reason,
    };

    internal static async Task WriteAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(WireJson), context.RequestAborted);
    }

    // ---------------------------------------------------------------- tracking (1002 / 8001 / 8002), §2.2–§2.3

    private JsonObject Track(SandboxMerchant merchant, string requestType, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var valueAdded = requestType != "1002";
        var logisticCode = data.Str("LogisticCode");
        if (CheckNumber(id, logisticCode) is { } numberProblem)
        {
            return numberProblem;
        }

        var shipperCode = data.Str("ShipperCode");
        CarrierProfile? carrier;
        if (string.IsNullOrEmpty(shipperCode))
        {
            if (requestType != "8002")
            {
                return Fail(id, "101", "缺少必要参数: ShipperCode");
            }

            // carrier-protocol.md §2.1: 8002 detects the carrier when ShipperCode is omitted.
            carrier = simulator.Carriers.Recognise(logisticCode!).FirstOrDefault();
            if (carrier is null)
            {
                return Fail(id, "105", "无法识别该单号所属快递公司,请传入 ShipperCode");
            }
        }
        else
        {
            carrier = simulator.Carriers.Find(shipperCode);
            if (carrier is null)
            {
                return Fail(id, "105", $"暂不支持该快递公司编码: {shipperCode}");
            }
        }

        // carrier-protocol.md §2.2: SF requires CustomerName (last four digits of the sender's or receiver's phone).
        if (carrier.Code == "SF" && string.IsNullOrEmpty(data.Str("CustomerName")))
        {
            return Fail(id, "101", "顺丰单号查询需传入 CustomerName(寄件人或收件人手机号后四位)");
        }

        var view = simulator.View(carrier, logisticCode!);
        var descending = data.Int("Sort") == 1;
        var result = new JsonObject
        {
            ["EBusinessID"] = id,
            ["OrderCode"] = data.Str("OrderCode") is { Length: > 0 } oc ? oc : view.OrderCode ?? "",
            ["ShipperCode"] = carrier.Code,
            ["LogisticCode"] = logisticCode,
            ["Success"] = true,
            ["Reason"] = view.Snapshot.Traces.Count == 0 ? "暂无轨迹信息" : null,
            ["State"] = view.Snapshot.State,
        };
        if (valueAdded)
        {
            result["StateEx"] = view.Snapshot.StateEx;
            result["Location"] = view.Snapshot.Location ?? "";
        }

        result["Traces"] = Traces(view.Snapshot, valueAdded, descending);
        if (view.Journey is not null)
        {
            result["EstimatedDeliveryTime"] = BeijingTime.Format(view.Journey.EstimatedDeliveryUtc);
        }

        if (valueAdded && view.Picker is not null)
        {
            result["PickerInfo"] = Picker(view.Picker);
        }

        return result;
    }

    internal static JsonArray Traces(TrackingSnapshot snapshot, bool valueAdded, bool descending)
    {
        var array = new JsonArray();
        var items = descending ? snapshot.Traces.Reverse() : snapshot.Traces;
        foreach (var (e, _) in items)
        {
            var trace = new JsonObject
            {
                ["AcceptTime"] = BeijingTime.Format(e.TimeUtc),
                ["AcceptStation"] = e.Station,
                ["Remark"] = "",
            };
            if (valueAdded)
            {
                trace["Location"] = e.Location;
                trace["Action"] = e.Action;
            }

            array.Add(trace);
        }

        return array;
    }

    internal static JsonObject Picker(PickerInfo picker) => new()
    {
        ["PersonName"] = picker.PersonName,
        ["PersonTel"] = picker.PersonTel,
    };

    private static JsonObject? CheckNumber(string id, string? logisticCode)
    {
        if (string.IsNullOrEmpty(logisticCode))
        {
            return Fail(id, "402", "缺少快递单号");
        }

        if (!logisticCode.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return Fail(id, "403", "快递单号有特殊字符");
        }

        return logisticCode.Length is < 5 or > 40 ? Fail(id, "404", "快递单号长度不符") : null;
    }

    // ---------------------------------------------------------------- subscriptions (1008 / 8008), §2.4

    private JsonObject Subscribe(SandboxMerchant merchant, string requestType, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var shipperCode = data.Str("ShipperCode");
        var logisticCode = data.Str("LogisticCode");
        if (string.IsNullOrEmpty(shipperCode))
        {
            return Fail(id, "101", "缺少必要参数: ShipperCode");
        }

        if (CheckNumber(id, logisticCode) is { } numberProblem)
        {
            return numberProblem;
        }

        var carrier = simulator.Carriers.Find(shipperCode);
        if (carrier is null)
        {
            return Fail(id, "105", $"暂不支持该快递公司编码: {shipperCode}");
        }

        var callback = data.Str("Callback") is { Length: > 0 } cb ? cb : merchant.CallbackUrl;
        if (!string.IsNullOrEmpty(callback) && !(Uri.TryCreate(callback, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            return Fail(id, "103", "Callback 地址格式有误");
        }

        var now = clock.GetUtcNow();
        store.UpsertSubscription(id, requestType, carrier.Code, logisticCode!, data.Str("OrderCode"), callback, now);
        var view = simulator.View(carrier, logisticCode!);
        var result = new JsonObject
        {
            ["EBusinessID"] = id,
            ["UpdateTime"] = BeijingTime.Format(now),
            ["Success"] = true,
            ["Reason"] = "",
            ["EstimatedDeliveryTime"] = view.Journey is null ? "" : BeijingTime.Format(view.Journey.EstimatedDeliveryUtc),
        };
        if (requestType == "8008")
        {
            result["ShipperCode"] = carrier.Code;
            result["LogisticCode"] = logisticCode;
        }

        return result;
    }

    // ---------------------------------------------------------------- e-waybill (1007 / 1147), §2.6–§2.7

    private JsonObject CreateWaybill(SandboxMerchant merchant, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var orderCode = data.Str("OrderCode");
        var shipperCode = data.Str("ShipperCode");
        if (string.IsNullOrEmpty(orderCode))
        {
            return Fail(id, "101", "缺少必要参数: OrderCode");
        }

        if (string.IsNullOrEmpty(shipperCode))
        {
            return Fail(id, "101", "缺少必要参数: ShipperCode");
        }

        var carrier = simulator.Carriers.Find(shipperCode);
        if (carrier is null)
        {
            return Fail(id, "105", $"暂不支持该快递公司编码: {shipperCode}");
        }

        var wantsTemplate = data.Int("IsReturnPrintTemplate") == 1;
        if (store.FindWaybill(id, orderCode) is { } existing)
        {
            return Replay(id, existing, wantsTemplate);
        }

        if (WaybillRequestProblem(id, data) is { } problem)
        {
            return problem;
        }

        var sender = data.Obj("Sender")!.Value;
        var receiver = data.Obj("Receiver")!.Value;
        var origin = ResolveCity(sender, orderCode + "|o");
        var destination = ResolveCity(receiver, orderCode + "|d");
        var now = clock.GetUtcNow();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var number = carrier.NewNumber(Random.Shared);
            var order = WaybillOrder(orderCode, carrier, number, origin, destination, receiver.Str("ExpAreaName"), now);
            var template = PrintTemplate(number, carrier, sender, receiver, order["MarkDestination"]!.GetValue<string>(), data);
            var row = new WaybillRow(id, orderCode, carrier.Code, number, order["KDNOrderCode"]!.GetValue<string>(), origin.CityZh, sender.Str("ExpAreaName"),
                destination.CityZh, receiver.Str("ExpAreaName"), now, Guid.NewGuid().ToString(), order.ToJsonString(WireJson), template);
            var (stored, inserted) = store.TryInsertWaybill(row);
            if (stored is null)
            {
                continue;
            }

            if (!inserted)
            {
                return Replay(id, stored, wantsTemplate);
            }

            return WaybillCreated(id, order, stored.RequestNumber, wantsTemplate ? template : null);
        }

        return Fail(id, "105", "单号分配失败,请重试");
    }

    /// <summary>A 1007 request's missing pay or express type, or its parties' or goods' first problem; null when it is complete.</summary>
    private JsonObject? WaybillRequestProblem(string id, JsonElement data)
    {
        foreach (var field in new[] { "PayType", "ExpType" })
        {
            if (string.IsNullOrEmpty(data.Str(field)))
            {
                return Fail(id, "101", $"缺少必要参数: {field}");
            }
        }

        return ValidateParties(id, data) ?? ValidateCommodity(id, data);
    }

    private static JsonObject WaybillCreated(string id, JsonObject order, string requestNumber, string? template)
    {
        var result = new JsonObject
        {
            ["EBusinessID"] = id,
            ["Order"] = order,
            ["Success"] = true,
            ["ResultCode"] = "100",
            ["Reason"] = "成功",
            ["UniquerRequestNumber"] = requestNumber,
        };
        if (template is not null)
        {
            result["PrintTemplate"] = template;
        }

        return result;
    }

    /// <summary>carrier-protocol.md §2.6: 106 re-returns the original waybill (and template) with Success true.</summary>
    private JsonObject Replay(string id, WaybillRow existing, bool wantsTemplate)
    {
        if (store.IsCancelled(SandboxStore.WaybillKind, id, existing.OrderCode))
        {
            // §2.6: an OrderCode is never reusable, even after cancel.
            return Fail(id, "105", "该订单已取消");
        }

        var result = new JsonObject
        {
            ["EBusinessID"] = id,
            ["Order"] = JsonNode.Parse(existing.OrderJson),
            ["Success"] = true,
            ["ResultCode"] = "106",
            ["Reason"] = "该订单号已下单成功",
            ["UniquerRequestNumber"] = Guid.NewGuid().ToString(),
        };
        if (wantsTemplate)
        {
            result["PrintTemplate"] = existing.PrintTemplate;
        }

        return result;
    }

    private JsonObject CancelWaybill(SandboxMerchant merchant, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var shipperCode = data.Str("ShipperCode");
        var orderCode = data.Str("OrderCode");
        var expNo = data.Str("ExpNo");
        foreach (var (name, value) in new[] { ("ShipperCode", shipperCode), ("OrderCode", orderCode), ("ExpNo", expNo) })
        {
            if (string.IsNullOrEmpty(value))
            {
                return Fail(id, "101", $"缺少必要参数: {name}");
            }
        }

        var waybill = store.FindWaybill(id, orderCode!);
        if (waybill is null)
        {
            return Fail(id, "105", "订单不存在或未成功下单");
        }

        if (waybill.ShipperCode != shipperCode || waybill.LogisticCode != expNo)
        {
            return Fail(id, "105", "运单号与订单号或快递公司不匹配");
        }

        if (store.IsCancelled(SandboxStore.WaybillKind, id, orderCode!))
        {
            return Fail(id, "105", "该订单已取消,请勿重复操作");
        }

        var carrier = simulator.Carriers.Find(waybill.ShipperCode)!;
        var journey = JourneyBuilder.Build(simulator.ForWaybill(waybill, carrier), simulator.Regions);
        var now = clock.GetUtcNow();
        if (journey.FirstScanUtc <= now)
        {
            // carrier-protocol.md §2.7: only before pickup (未揽件).
            return Fail(id, "105", "快件已揽收,无法取消电子面单");
        }

        store.AddCancellation(SandboxStore.WaybillKind, id, orderCode!, expNo!, now, data.Str("Reason"));
        return new JsonObject { ["EBusinessID"] = id, ["Success"] = true, ["ResultCode"] = "100", ["Reason"] = "取消成功" };
    }

    private JsonObject WaybillOrder(string orderCode, CarrierProfile carrier, string number, RegionCity origin, RegionCity destination, string? destArea, DateTimeOffset now)
    {
        var route = simulator.Regions.Route(origin, destination);
        var areaShort = string.IsNullOrEmpty(destArea) ? "" : destArea.Length > 2 && (destArea.EndsWith('区') || destArea.EndsWith('县')) ? destArea[..^1] : destArea;
        var destCode = HubCode(destination);
        return new JsonObject
        {
            ["OrderCode"] = orderCode,
            ["ShipperCode"] = carrier.Code,
            ["LogisticCode"] = number,
            ["KDNOrderCode"] = "KDN" + now.ToOffset(BeijingTime.Offset).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            ["MarkDestination"] = (destination.CityZh + " " + areaShort).Trim(),
            ["OriginCode"] = HubCode(origin),
            ["OriginName"] = origin.CityZh + "转运中心",
            ["DestinatioCode"] = destCode,
            ["DestinatioName"] = route[^1].CityZh + "转运中心",
            ["SortingCode"] = destCode + "-" + Random.Shared.Next(1, 60).ToString("D2", CultureInfo.InvariantCulture),
            ["PackageName"] = route[^1].CityZh + "集包",
        };
    }

    private static string HubCode(RegionCity city) =>
        city.ProvinceCode + (StableHash.Of(city.CityZh) % 90 + 10).ToString(CultureInfo.InvariantCulture);

    /// <summary>A small label of the shape carrier-protocol.md §2.6 describes (absolute divs, 376 × 677 px).</summary>
    private static string PrintTemplate(string number, CarrierProfile carrier, JsonElement sender, JsonElement receiver, string mark, JsonElement data)
    {
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        string Party(JsonElement p) => H($"{p.Str("Name")} {p.Str("Mobile") ?? p.Str("Tel")}");
        string Addr(JsonElement p) => H($"{p.Str("ProvinceName")}{p.Str("CityName")}{p.Str("ExpAreaName")}{p.Str("Address")}");
        var goods = data.Arr("Commodity") is { } list ? string.Join(",", list.EnumerateArray().Select(g => g.Str("GoodsName"))) : "";
        return $"""
            <!DOCTYPE html><html><head><meta charset="UTF-8"><title>{H(number)}</title><style>
            .item{"{"}position:absolute;{"}"} .text{"{"}font-family:'微软雅黑';font-size:12px;{"}"} .hline{"{"}border-top:1px solid #000;width:376px;height:0;{"}"} .vline{"{"}border-left:1px solid #000;width:0;{"}"}
            </style></head><body style="margin:0"><div style="position:relative;width:376px;height:677px">
            <div class="item text" style="left:8px;top:8px;font-size:18px;font-weight:bold">{H(carrier.Name)}</div>
            <div class="item text" style="left:8px;top:40px;font-size:28px;font-weight:bold">{H(mark)}</div>
            <div class="item hline" style="left:0;top:84px"></div>
            <div class="item text barcode" style="left:40px;top:92px;font-size:22px;letter-spacing:2px">*{H(number)}*</div>
            <div class="item text" style="left:100px;top:126px">{H(number)}</div>
            <div class="item hline" style="left:0;top:150px"></div>
            <div class="item text" style="left:8px;top:158px">收: {Party(receiver)}</div>
            <div class="item text" style="left:8px;top:178px;width:360px">{Addr(receiver)}</div>
            <div class="item hline" style="left:0;top:230px"></div>
            <div class="item text" style="left:8px;top:238px">寄: {Party(sender)}</div>
            <div class="item text" style="left:8px;top:258px;width:360px">{Addr(sender)}</div>
            <div class="item hline" style="left:0;top:300px"></div>
            <div class="item text" style="left:8px;top:308px;width:360px">内容品名: {H(goods)}</div>
            <div class="item text" style="left:8px;top:640px;font-size:10px">快递鸟 sandbox 模拟面单,非真实运单</div>
            </div></body></html>
            """;
    }

    // ---------------------------------------------------------------- pickups (1001/1004, 1801/1802), §2.8

    private JsonObject BookPickup(SandboxMerchant merchant, string requestType, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var orderCode = data.Str("OrderCode");
        var shipperCode = data.Str("ShipperCode");
        if (string.IsNullOrEmpty(orderCode))
        {
            return Fail(id, "101", "缺少必要参数: OrderCode");
        }

        if (string.IsNullOrEmpty(shipperCode))
        {
            return Fail(id, "101", "缺少必要参数: ShipperCode");
        }

        var carrier = simulator.Carriers.Find(shipperCode);
        if (carrier is null)
        {
            return Fail(id, "105", $"暂不支持该快递公司编码: {shipperCode}");
        }

        if (store.FindPickup(id, orderCode) is not null)
        {
            // carrier-protocol.md §2.8 (S11, S12): the documented duplicate answer; 1801 follows it too (our choice).
            return Fail(id, "105", "该订单已经存在,请勿重复操作");
        }

        if (ValidateParties(id, data) is { } partyProblem)
        {
            return partyProblem;
        }

        if (PickupWindow(id, data, out var windowStart, out var windowEnd) is { } windowProblem)
        {
            return windowProblem;
        }

        var sender = data.Obj("Sender")!.Value;
        var receiver = data.Obj("Receiver")!.Value;
        var origin = ResolveCity(sender, orderCode + "|o");
        var destination = ResolveCity(receiver, orderCode + "|d");
        var now = clock.GetUtcNow();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            // Our choice: the tracking number is assigned at booking, so the return parcel is trackable at once.
            var row = new PickupRow(id, orderCode, requestType, carrier.Code, carrier.NewNumber(Random.Shared),
                Random.Shared.Next(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture), origin.CityZh, sender.Str("ExpAreaName"),
                destination.CityZh, receiver.Str("ExpAreaName"), windowStart, windowEnd, now, Guid.NewGuid().ToString());
            if (store.TryInsertPickup(row))
            {
                return PickupBooked(id, row);
            }

            if (store.FindPickup(id, orderCode) is not null)
            {
                return Fail(id, "105", "该订单已经存在,请勿重复操作");
            }
        }

        return Fail(id, "105", "单号分配失败,请重试");
    }

    /// <summary>The pickup window (Beijing time): both ends given, in order, and not over yet; else the 103 answer.</summary>
    private JsonObject? PickupWindow(string id, JsonElement data, out DateTimeOffset windowStart, out DateTimeOffset windowEnd)
    {
        windowEnd = default;
        if (!BeijingTime.TryParse(data.Str("StartDate"), out windowStart) || !BeijingTime.TryParse(data.Str("EndDate"), out windowEnd))
        {
            return Fail(id, "103", "StartDate/EndDate 缺失或格式有误(yyyy-MM-dd HH:mm:ss)");
        }

        if (windowEnd <= windowStart)
        {
            return Fail(id, "103", "预约取件时间段有误: EndDate 须晚于 StartDate");
        }

        // A window that has already ended (real wall clock: the merchant picks calendar times) cannot be booked.
        return windowEnd <= clock.RealUtcNow ? Fail(id, "103", "预约取件时间段已过期,请重新选择") : null;
    }

    private static JsonObject PickupBooked(string id, PickupRow row) => new()
    {
        ["EBusinessID"] = id,
        ["Success"] = true,
        ["ResultCode"] = "100",
        ["Reason"] = "下单成功",
        ["UniquerRequestNumber"] = row.RequestNumber,
        ["Order"] = new JsonObject { ["OrderCode"] = row.OrderCode, ["ShipperCode"] = row.ShipperCode, ["LogisticCode"] = row.LogisticCode },
        ["PickupCode"] = row.PickupCode,
    };

    private JsonObject CancelPickup(SandboxMerchant merchant, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var shipperCode = data.Str("ShipperCode");
        var orderCode = data.Str("OrderCode");
        if (string.IsNullOrEmpty(shipperCode))
        {
            return Fail(id, "101", "缺少必要参数: ShipperCode");
        }

        if (string.IsNullOrEmpty(orderCode))
        {
            return Fail(id, "101", "缺少必要参数: OrderCode");
        }

        var pickup = store.FindPickup(id, orderCode);
        if (pickup is null || pickup.ShipperCode != shipperCode)
        {
            return Fail(id, "105", "取件订单不存在");
        }

        if (store.IsCancelled(SandboxStore.PickupKind, id, orderCode))
        {
            return Fail(id, "105", "该订单已取消,请勿重复操作");
        }

        var carrier = simulator.Carriers.Find(pickup.ShipperCode)!;
        var journey = JourneyBuilder.Build(simulator.ForPickup(pickup, carrier), simulator.Regions);
        var now = clock.GetUtcNow();
        if (journey.FirstScanUtc <= now)
        {
            // carrier-protocol.md §2.8: cancel only before pickup.
            return Fail(id, "105", "快递员已揽收,无法取消");
        }

        store.AddCancellation(SandboxStore.PickupKind, id, orderCode, pickup.LogisticCode, now, data.Str("Reason"));
        return new JsonObject { ["EBusinessID"] = id, ["Success"] = true, ["ResultCode"] = "100", ["Reason"] = "取消成功" };
    }

    // ---------------------------------------------------------------- 2002 and 6001, §2.9

    private JsonObject Recognise(SandboxMerchant merchant, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var logisticCode = data.Str("LogisticCode");
        if (CheckNumber(id, logisticCode) is { } problem)
        {
            problem["LogisticCode"] = logisticCode ?? "";
            problem["Code"] = problem["ResultCode"]!.GetValue<string>();
            problem["Shippers"] = new JsonArray();
            return problem;
        }

        var shippers = new JsonArray();
        foreach (var carrier in simulator.Carriers.Recognise(logisticCode!))
        {
            shippers.Add(new JsonObject { ["ShipperCode"] = carrier.Code, ["ShipperName"] = carrier.Name });
        }

        return new JsonObject
        {
            ["EBusinessID"] = id,
            ["LogisticCode"] = logisticCode,
            ["Success"] = true,
            ["Code"] = "100",
            ["Reason"] = shippers.Count == 0 ? "未能识别该单号所属快递公司" : "",
            ["Shippers"] = shippers,
        };
    }

    private JsonObject ParseAddress(SandboxMerchant merchant, JsonElement data)
    {
        var id = merchant.EBusinessId;
        var content = data.Str("Content");
        if (string.IsNullOrEmpty(content))
        {
            return Fail(id, "101", "缺少必要参数: Content");
        }

        var parsed = addressParser.Parse(content);
        if (parsed is null || parsed.ProvinceName.Length == 0)
        {
            return Fail(id, "105", "无法解析该地址");
        }

        return new JsonObject
        {
            ["EBusinessID"] = id,
            ["Success"] = true,
            ["ResultCode"] = "100",
            ["Reason"] = "",
            ["Data"] = new JsonObject
            {
                ["ProvinceName"] = parsed.ProvinceName,
                ["CityName"] = parsed.CityName,
                ["ExpAreaName"] = parsed.ExpAreaName,
                ["StreetName"] = parsed.StreetName,
                ["Address"] = parsed.Address,
                ["Name"] = parsed.Name,
                ["Mobile"] = parsed.Mobile,
                ["Tel"] = parsed.Tel,
            },
        };
    }

    // ---------------------------------------------------------------- validation helpers

    private JsonObject? ValidateParties(string id, JsonElement data)
    {
        foreach (var partyName in new[] { "Sender", "Receiver" })
        {
            if (data.Obj(partyName) is not { } party)
            {
                return Fail(id, "101", $"缺少必要参数: {partyName}");
            }

            foreach (var field in new[] { "Name", "ProvinceName", "CityName", "ExpAreaName", "Address" })
            {
                if (string.IsNullOrEmpty(party.Str(field)))
                {
                    return Fail(id, "101", $"缺少必要参数: {partyName}.{field}");
                }
            }

            if (string.IsNullOrEmpty(party.Str("Mobile")) && string.IsNullOrEmpty(party.Str("Tel")))
            {
                return Fail(id, "101", $"缺少必要参数: {partyName}.Mobile 或 {partyName}.Tel");
            }

            if (_options.RejectForbiddenCharacters)
            {
                foreach (var field in new[] { "Name", "Mobile", "Tel", "ProvinceName", "CityName", "ExpAreaName", "Address", "Company" })
                {
                    if (party.Str(field) is { } value && value.IndexOfAny(ForbiddenChars) >= 0)
                    {
                        return Fail(id, "105", $"{partyName}.{field} 含有特殊字符(' \" # & + < > % \\),请去除后重试");
                    }
                }
            }
        }

        return null;
    }

    private JsonObject? ValidateCommodity(string id, JsonElement data)
    {
        if (data.Arr("Commodity") is not { } commodity || commodity.GetArrayLength() == 0)
        {
            return Fail(id, "101", "缺少必要参数: Commodity");
        }

        foreach (var item in commodity.EnumerateArray())
        {
            var name = item.Str("GoodsName");
            if (string.IsNullOrEmpty(name))
            {
                return Fail(id, "101", "缺少必要参数: Commodity.GoodsName");
            }

            if (_options.RejectForbiddenCharacters && name.IndexOfAny(ForbiddenChars) >= 0)
            {
                return Fail(id, "105", "Commodity.GoodsName 含有特殊字符(' \" # & + < > % \\),请去除后重试");
            }
        }

        return null;
    }

    private RegionCity ResolveCity(JsonElement party, string fallbackKey) =>
        simulator.Regions.Resolve(party.Str("ProvinceName"), party.Str("CityName")) ?? simulator.Regions.FromHash(StableHash.Of(fallbackKey));
}
