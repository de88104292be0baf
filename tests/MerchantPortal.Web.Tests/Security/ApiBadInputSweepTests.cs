using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>What a bad-input case sends to an operation.</summary>
[Flags]
public enum BadInput
{
    /// <summary>Hostile and oversized route values (ids that overflow, traversal in string keys).</summary>
    Route = 1,
    /// <summary>Hostile, oversized and wrongly typed query values.</summary>
    Query = 2,
    /// <summary>A JSON body: malformed, wrong types, 100k-character strings, negative and huge numbers, script payloads.</summary>
    JsonBody = 4,
    /// <summary>A multipart upload: traversal in the file name, no file, a file over the limit.</summary>
    Upload = 8,
    /// <summary>No parameters at all: the case is that it answers JSON whatever Accept says and ignores a stray body.</summary>
    None = 16,
}

/// <summary>
/// 10.6: every /api/v1 operation in the OpenAPI document gets hostile input and must answer with a 4xx problem body
/// (never 5xx, never an empty or HTML body), name the field, and store nothing it refused. The list below is the
/// checked inventory: an operation added to the API without a row fails <see cref="Every_API_operation_has_a_bad_input_case"/>.
/// The cases themselves are built from the operation's schema in the OpenAPI document, so a new field is swept too.
/// </summary>
/// <remarks>
/// The sweep runs on a portal of its own: its bodies that are valid (a true switch, a script-like but short brand name)
/// are accepted, and the global settings they change (waybills on approval, the tracking brand, return rules) must not
/// reach the shared portal's other tests.
/// </remarks>
public class ApiBadInputSweepTests(SharedPortal portal) : IClassFixture<SharedPortal>
{
    public static readonly IReadOnlyDictionary<string, BadInput> Operations = new Dictionary<string, BadInput>
    {
        ["GET /api/v1/dashboard"] = BadInput.None,
        ["GET /api/v1/api-keys"] = BadInput.None,
        ["POST /api/v1/api-keys"] = BadInput.JsonBody,
        ["DELETE /api/v1/api-keys/{id}"] = BadInput.Route,
        ["GET /api/v1/users"] = BadInput.None,
        ["POST /api/v1/users"] = BadInput.JsonBody,
        ["PUT /api/v1/users/{id}/role"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/users/{id}/disable"] = BadInput.Route,
        ["POST /api/v1/users/{id}/enable"] = BadInput.Route,
        ["POST /api/v1/users/{id}/reset-2fa"] = BadInput.Route,
        ["GET /api/v1/carrier-accounts"] = BadInput.None,
        ["POST /api/v1/carrier-accounts"] = BadInput.JsonBody,
        ["GET /api/v1/carrier-accounts/{id}"] = BadInput.Route,
        ["PUT /api/v1/carrier-accounts/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/carrier-accounts/{id}/disable"] = BadInput.Route,
        ["POST /api/v1/carrier-accounts/{id}/enable"] = BadInput.Route,
        ["POST /api/v1/carrier-accounts/{id}/test"] = BadInput.Route,
        ["POST /api/v1/orders"] = BadInput.JsonBody,
        ["GET /api/v1/orders"] = BadInput.Query,
        ["GET /api/v1/orders/{orderNo}"] = BadInput.Route,
        ["GET /api/v1/orders/{orderNo}/story"] = BadInput.Route,
        ["POST /api/v1/orders/{orderNo}/approve"] = BadInput.Route,
        ["POST /api/v1/orders/{orderNo}/hold"] = BadInput.Route,
        ["POST /api/v1/orders/{orderNo}/cancel"] = BadInput.Route,
        ["POST /api/v1/orders/actions"] = BadInput.JsonBody,
        ["GET /api/v1/orders/merge-suggestions"] = BadInput.None,
        ["POST /api/v1/orders/merge"] = BadInput.JsonBody,
        ["POST /api/v1/orders/{orderNo}/unmerge"] = BadInput.Route,
        ["POST /api/v1/orders/{orderNo}/split"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/orders/{orderNo}/unsplit"] = BadInput.Route,
        ["POST /api/v1/order-imports"] = BadInput.Upload,
        ["GET /api/v1/order-imports/{id}"] = BadInput.Route,
        ["GET /api/v1/order-imports/{id}/mapping"] = BadInput.Route,
        ["GET /api/v1/order-imports/{id}/errors.csv"] = BadInput.Route,
        ["PUT /api/v1/order-imports/{id}/mapping"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/order-imports/{id}/start"] = BadInput.Route,
        ["GET /api/v1/import-templates"] = BadInput.None,
        ["POST /api/v1/import-templates"] = BadInput.JsonBody,
        ["DELETE /api/v1/import-templates/{name}"] = BadInput.Route,
        ["GET /api/v1/warehouses"] = BadInput.None,
        ["POST /api/v1/warehouses"] = BadInput.JsonBody,
        ["PUT /api/v1/warehouses/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/shops"] = BadInput.None,
        ["POST /api/v1/shops"] = BadInput.JsonBody,
        ["PUT /api/v1/shops/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/shops/{id}/deactivate"] = BadInput.Route,
        ["GET /api/v1/catalogue/skus"] = BadInput.Query,
        ["GET /api/v1/catalogue/skus/{id}"] = BadInput.Route,
        ["POST /api/v1/catalogue/skus"] = BadInput.JsonBody,
        ["PUT /api/v1/catalogue/skus/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["DELETE /api/v1/catalogue/skus/{id}"] = BadInput.Route,
        ["POST /api/v1/catalogue/imports"] = BadInput.Upload,
        ["POST /api/v1/shipments"] = BadInput.JsonBody,
        ["GET /api/v1/shipments/{trackingNo}"] = BadInput.Route,
        ["POST /api/v1/returns"] = BadInput.JsonBody,
        ["GET /api/v1/returns/{id}"] = BadInput.Route,
        ["POST /api/v1/returns/{id}/pickup"] = BadInput.Route | BadInput.JsonBody,
        ["DELETE /api/v1/returns/{id}/pickup"] = BadInput.Route,
        ["GET /api/v1/kpis/carriers"] = BadInput.Query,
        ["GET /api/v1/kpis/lanes"] = BadInput.Query,
        ["GET /api/v1/kpis/recommendation"] = BadInput.Query,
        ["GET /api/v1/kpis/prediction-accuracy"] = BadInput.Query,
        ["POST /api/v1/kpis/rebuild"] = BadInput.None,
        ["GET /api/v1/sla-rules"] = BadInput.None,
        ["POST /api/v1/sla-rules"] = BadInput.JsonBody,
        ["PUT /api/v1/sla-rules/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["DELETE /api/v1/sla-rules/{id}"] = BadInput.Route,
        ["GET /api/v1/exceptions"] = BadInput.Query,
        ["POST /api/v1/exceptions/{id}/resolve"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/exceptions/{id}/comments"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/webhook-subscriptions"] = BadInput.None,
        ["POST /api/v1/webhook-subscriptions"] = BadInput.JsonBody,
        ["PUT /api/v1/webhook-subscriptions/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["DELETE /api/v1/webhook-subscriptions/{id}"] = BadInput.Route,
        ["POST /api/v1/webhook-subscriptions/{id}/rotate-secret"] = BadInput.Route,
        ["GET /api/v1/webhook-subscriptions/{id}/deliveries"] = BadInput.Route,
        ["POST /api/v1/waybill-batches"] = BadInput.JsonBody,
        ["GET /api/v1/waybill-batches/{id}"] = BadInput.Route,
        ["GET /api/v1/waybill-batches/{id}/labels"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/waybill-batches/{id}/pause"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/waybill-batches/{id}/resume"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/waybill-batches/{id}/cancel"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/waybill-batches/{id}/retry"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/waybills/{trackingNo}/void"] = BadInput.Route,
        ["GET /api/v1/printers"] = BadInput.None,
        ["POST /api/v1/printers"] = BadInput.JsonBody,
        ["PUT /api/v1/printers/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/printers/{id}/test"] = BadInput.Route,
        ["GET /api/v1/print-jobs"] = BadInput.Query,
        ["POST /api/v1/print-jobs/retry"] = BadInput.Query,
        ["POST /api/v1/print-jobs/{id}/reprint"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/handovers"] = BadInput.JsonBody,
        ["GET /api/v1/handovers"] = BadInput.Query,
        ["GET /api/v1/handovers/{id}"] = BadInput.Route,
        ["POST /api/v1/handovers/{id}/scans"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/handovers/{id}/close"] = BadInput.Route,
        ["GET /api/v1/handovers/{id}/list.pdf"] = BadInput.Route,
        ["GET /api/v1/pack/throughput"] = BadInput.Query,
        ["GET /api/v1/pack/{trackingNo}"] = BadInput.Route,
        ["POST /api/v1/pack"] = BadInput.JsonBody,
        ["POST /api/v1/exceptions/{id}/reship"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/exceptions/{id}/return"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/kpis/hub-alerts"] = BadInput.Query,
        ["GET /api/v1/kpis/hub-alerts/{id}/shipments"] = BadInput.Route,
        ["GET /api/v1/freight/rate-cards"] = BadInput.Query,
        ["PUT /api/v1/freight/rate-cards/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/freight/expected-cost"] = BadInput.Query,
        ["GET /api/v1/freight/bills"] = BadInput.None,
        ["GET /api/v1/freight/bills/{id}"] = BadInput.Route,
        ["GET /api/v1/freight/bills/{id}/discrepancies"] = BadInput.Route | BadInput.Query,
        ["POST /api/v1/freight/bill-imports"] = BadInput.Upload,
        ["GET /api/v1/exceptions/{id}"] = BadInput.Route,
        ["POST /api/v1/exceptions/{id}/assign"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/exceptions/{id}/carrier-contacts"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/exceptions/{id}/notify-customer"] = BadInput.Route,
        ["GET /api/v1/exceptions/counts"] = BadInput.Query,
        ["POST /api/v1/exceptions/bulk/assign"] = BadInput.JsonBody,
        ["POST /api/v1/exceptions/bulk/resolve"] = BadInput.JsonBody,
        ["GET /api/v1/monitoring-rules"] = BadInput.None,
        ["POST /api/v1/monitoring-rules"] = BadInput.JsonBody,
        ["PUT /api/v1/monitoring-rules/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["DELETE /api/v1/monitoring-rules/{id}"] = BadInput.Route,
        ["GET /api/v1/audit"] = BadInput.Query,
        ["GET /api/v1/notification-templates"] = BadInput.None,
        ["PUT /api/v1/notification-templates/{id}"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/notifications/deliveries"] = BadInput.Query,
        ["GET /api/v1/notifications/unsent"] = BadInput.Query,
        ["GET /api/v1/notification-opt-outs"] = BadInput.None,
        ["POST /api/v1/notification-opt-outs"] = BadInput.JsonBody,
        ["DELETE /api/v1/notification-opt-outs/{id}"] = BadInput.Route,
        ["PUT /api/v1/orders/{orderNo}/address"] = BadInput.Route | BadInput.JsonBody,
        ["PUT /api/v1/orders/{orderNo}/email"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/returns/{id}/photos"] = BadInput.Route | BadInput.Upload,
        ["GET /api/v1/returns/{id}/photos/{photoId}"] = BadInput.Route,
        ["GET /api/v1/settings/auto-waybills"] = BadInput.None,
        ["GET /api/v1/settings/auto-merge"] = BadInput.None,
        ["PUT /api/v1/settings/auto-waybills"] = BadInput.JsonBody,
        ["PUT /api/v1/settings/auto-merge"] = BadInput.JsonBody,
        ["GET /api/v1/settings/tracking-brand"] = BadInput.None,
        ["PUT /api/v1/settings/tracking-brand"] = BadInput.JsonBody,
        ["POST /api/v1/settings/tracking-brand/logo"] = BadInput.Upload,
        ["GET /api/v1/settings/return-rules"] = BadInput.None,
        ["PUT /api/v1/settings/return-rules"] = BadInput.JsonBody,
        ["GET /api/v1/refunds"] = BadInput.Query,
        ["POST /api/v1/refunds/{id}/result"] = BadInput.Route | BadInput.JsonBody,
        ["GET /api/v1/settings/refunds"] = BadInput.None,
        ["PUT /api/v1/settings/refunds"] = BadInput.JsonBody,
        ["GET /api/v1/shipments"] = BadInput.Query,
        ["GET /api/v1/waybill-batches"] = BadInput.Query,
        ["POST /api/v1/users/{id}/invitation"] = BadInput.Route,
        ["GET /api/v1/waybills/handover"] = BadInput.Query,
        ["GET /api/v1/waybills/products"] = BadInput.Query,
        ["GET /api/v1/waybill-batches/{id}/pick-list"] = BadInput.Route | BadInput.Query,
        ["GET /api/v1/waybill-batches/{id}/pick-list.pdf"] = BadInput.Route,
        ["GET /api/v1/waybill-batches/{id}/packing-slips.pdf"] = BadInput.Route,
        ["GET /api/v1/waybill-batches/{id}/labels-with-slips.pdf"] = BadInput.Route,
        ["GET /api/v1/packing-slips/{orderNo}"] = BadInput.Route,
        ["GET /api/v1/waves"] = BadInput.Query,
        ["POST /api/v1/waves"] = BadInput.JsonBody,
        ["GET /api/v1/waves/{id}"] = BadInput.Route,
        ["GET /api/v1/lookup"] = BadInput.Query,
        ["GET /api/v1/returns"] = BadInput.Query,
        ["POST /api/v1/returns/{id}/approve"] = BadInput.Route,
        ["POST /api/v1/returns/{id}/reject"] = BadInput.Route | BadInput.JsonBody,
        ["POST /api/v1/returns/{id}/cancel"] = BadInput.Route,
    };

    public const string Script = "<script>alert(1)</script>";
    public const string ImageOnError = "\"><img src=x onerror=alert(1)>";

    private JsonDocument? document;

    private async Task<JsonElement> OpenApiAsync()
    {
        if (document is null)
        {
            using var client = portal.Factory.CreateApiClient(apiKey: null);
            document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        }
        return document.RootElement;
    }

    private async Task<List<(string Key, string Method, string Path, JsonElement Operation)>> OperationsInDocumentAsync()
    {
        var list = new List<(string, string, string, JsonElement)>();
        foreach (var path in (await OpenApiAsync()).GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                list.Add(($"{method} {path.Name}", method, path.Name, operation.Value));
            }
        }
        return list;
    }

    [Fact]
    public async Task Every_API_operation_has_a_bad_input_case()
    {
        var inDocument = (await OperationsInDocumentAsync()).Select(o => o.Key).ToHashSet();
        var missing = inDocument.Where(k => !Operations.ContainsKey(k)).ToList();
        var stale = Operations.Keys.Where(k => !inDocument.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "No bad-input case for: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Bad-input cases for operations the API no longer has: " + string.Join(", ", stale));
        // The inventory must cover what the operation takes: a body operation needs a body case, and so on.
        foreach (var (key, _, path, operation) in await OperationsInDocumentAsync())
        {
            var cases = Operations[key];
            if (path.Contains('{'))
            {
                Assert.True(cases.HasFlag(BadInput.Route), key + " has route values but no Route case");
            }
            if (operation.TryGetProperty("requestBody", out var body))
            {
                var content = body.GetProperty("content");
                Assert.True(cases.HasFlag(content.TryGetProperty("application/json", out _) ? BadInput.JsonBody : BadInput.Upload), key + " takes a body but has no body case");
            }
        }
    }

    public static TheoryData<string> OperationRows()
    {
        var data = new TheoryData<string>();
        foreach (var key in Operations.Keys)
        {
            data.Add(key);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OperationRows))]
    public async Task Each_operation_refuses_hostile_input_with_a_problem_body_and_never_a_server_error(string key)
    {
        var cases = Operations[key];
        var (method, template) = (key.Split(' ')[0], key.Split(' ')[1]);
        var operation = (await OperationsInDocumentAsync()).Single(o => o.Key == key).Operation;
        using var api = portal.Factory.CreateApiClient();
        var concrete = Concrete(template, "987654", "NO-SUCH-KEY");

        // Every operation: an HTML-preferring client still gets JSON (or a success), never a page.
        var plain = await SendAsync(api, method, concrete, method is "POST" or "PUT" ? "{}" : null, accept: "text/html");
        await AssertNotServerErrorAsync(key, "plain", plain);

        if (cases.HasFlag(BadInput.Route))
        {
            foreach (var (name, id, text) in new[]
                     {
                         ("overflowing id", "99999999999999999999999", "NO-SUCH"),
                         ("negative id", "-1", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"),
                         ("traversal", "987654", "..%5C..%5Cx"),
                         ("oversized", "987654", new string('X', 4000)),
                         ("script", "987654", Uri.EscapeDataString(Script)),
                     })
            {
                var response = await SendAsync(api, method, Concrete(template, id, text), method is "POST" or "PUT" ? "{}" : null);
                await AssertRefusedAsync(key, name, response);
            }
        }

        if (cases.HasFlag(BadInput.Query))
        {
            var names = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                : [];
            Assert.NotEmpty(names);
            foreach (var (name, value) in new[]
                     {
                         ("script", Uri.EscapeDataString(Script + ImageOnError)),
                         // Long enough to be absurd for any filter, short enough that all parameters together stay under
                         // Kestrel's 8 KB request line (beyond it Kestrel itself answers 414, before any app code).
                         ("oversized", new string('Q', 500)),
                         ("huge number", "99999999999999999999999"),
                         ("negative", "-5"),
                     })
            {
                var query = string.Join("&", names.Select(n => $"{n}={value}"));
                var response = await SendAsync(api, method, concrete + "?" + query, null);
                await AssertNotServerErrorAsync(key, "query " + name, response);
            }
        }

        if (cases.HasFlag(BadInput.JsonBody))
        {
            var schema = JsonBodySchema(operation);
            foreach (var (name, body) in new[]
                     {
                         ("truncated JSON", "{\"a\":"),
                         ("not JSON", "<xml/>"),
                         ("an array instead of an object", "[1,2]"),
                         ("a string instead of an object", "\"text\""),
                         // Deeper than System.Text.Json's limit of 64: refused by the reader, not by a stack overflow.
                         ("nesting 5000 deep", "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}"),
                     })
            {
                var response = await SendAsync(api, method, concrete, body);
                await AssertRefusedAsync(key, name, response, expectErrors: true);
            }

            // Each property in turn gets a value of the wrong type; the problem names it.
            var root = await OpenApiAsync();
            foreach (var (property, propertySchema) in Properties(root, schema))
            {
                var payload = Sample(root, schema, Mode.Valid)!.AsObject();
                payload[property] = WrongType(root, propertySchema);
                var response = await SendAsync(api, method, concrete, payload.ToJsonString());
                var problem = await AssertRefusedAsync(key, $"wrong type for {property}", response, expectErrors: true);
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    Assert.True(problem.Contains(property, StringComparison.OrdinalIgnoreCase), $"{key}: the problem for a wrong type in {property} does not name it: {problem}");
                }
            }

            var marker = "OVERSIZED-" + Guid.NewGuid().ToString("N");
            // 100k characters per string, fewer when the body would pass the API's 1 MB limit: that limit answers 413
            // and closes the connection while the client may still be sending (a broken pipe, not an answer).
            var strings = System.Text.RegularExpressions.Regex.Matches(Sample(root, schema, Mode.Oversized, marker)!.ToJsonString(), marker).Count;
            oversizedLength = Math.Min(100_000, 900_000 / Math.Max(1, strings));
            // A body of switches, numbers and enums only (the settings) has no free text to oversize: its oversized
            // sample would be a valid body.
            if (strings > 0)
            {
                var oversized = await SendAsync(api, method, concrete, Sample(root, schema, Mode.Oversized, marker)!.ToJsonString());
                await AssertRefusedAsync(key, "100k-character strings", oversized, expectErrors: oversized.StatusCode == HttpStatusCode.BadRequest);
            }
            var huge = await SendAsync(api, method, concrete, Sample(root, schema, Mode.Huge)!.ToJsonString());
            await AssertNotServerErrorAsync(key, "huge numbers", huge);
            Assert.False(huge.IsSuccessStatusCode && HasInteger(root, schema), $"{key} accepted numbers beyond their type");
            var negative = await SendAsync(api, method, concrete, Sample(root, schema, Mode.Negative)!.ToJsonString());
            await AssertNotServerErrorAsync(key, "negative numbers", negative);
            var script = await SendAsync(api, method, concrete, Sample(root, schema, Mode.Script)!.ToJsonString());
            await AssertNotServerErrorAsync(key, "script payloads", script);

            var stored = await DatabaseFiles.ReadAllBytesAsync(portal.Factory.DataDirectory);
            Assert.True(stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) < 0, $"{key}: an oversized value that was refused is in the database");
        }

        if (cases.HasFlag(BadInput.Upload))
        {
            // The upload sweep (traversal, missing file, over the limit) is its own test below; here: a JSON body.
            var response = await SendAsync(api, method, concrete, "{}");
            await AssertRefusedAsync(key, "JSON instead of multipart", response, expectErrors: true);
        }
    }

    [Fact]
    public async Task The_order_import_upload_keeps_only_the_file_name_refuses_no_file_and_a_file_over_the_limit()
    {
        using var api = portal.Factory.CreateApiClient();
        var csv = "orderNo,receiverName\n"u8.ToArray();
        foreach (var name in new[] { "../../etc/passwd", "..\\..\\x.csv", "/tmp/../../evil.csv" })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", name } };
            var response = await api.PostAsync("/api/v1/order-imports", form);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
            var status = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/order-imports/{id}")).RootElement;
            var stored = status.GetProperty("fileName").GetString()!;
            Assert.DoesNotContain("/", stored);
            Assert.False(stored.StartsWith("..", StringComparison.Ordinal) && stored.Contains('/'), stored);
        }
        // Nothing was written outside the portal's data folder: the stored files are named by the portal.
        Assert.False(File.Exists(Path.Combine(portal.Factory.DataDirectory, "..", "evil.csv")));
        Assert.All(Directory.GetFiles(Path.Combine(portal.Factory.DataDirectory, "imports")),
            f => Assert.Matches(@"^\d{14}-[0-9a-f]{32}\.(csv|xlsx)$", Path.GetFileName(f)));

        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        await AssertRefusedAsync("POST /api/v1/order-imports", "no file", await api.PostAsync("/api/v1/order-imports", noFile), expectErrors: true);

        // 50 MB is the limit; a stream one megabyte over it is cut off with 413 and a problem body.
        var tooLarge = new MultipartFormDataContent { { new StreamContent(new ZeroStream(Web.Features.Orders.Import.OrderImportService.MaxFileBytes + 1024 * 1024)), "file", "big.csv" } };
        // A known length and Expect: 100-continue, as real upload clients send: Kestrel refuses on the header alone and
        // the client sends no body into a closed connection (which would end in a broken pipe instead of an answer).
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/order-imports") { Content = tooLarge };
        request.Headers.ExpectContinue = true;
        var refused = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_JSON_body_over_one_megabyte_is_refused_with_413_and_a_problem_body()
    {
        using var api = portal.Factory.CreateApiClient();
        var body = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"scopes\":[\"orders.read\"]}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // See the upload test: the refusal comes on the Content-Length header, before the body is sent.
        request.Headers.ExpectContinue = true;
        var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/api/v1/no-such-thing")]
    [InlineData("GET", "/api/v1/orders/NO-SUCH/also-not")]
    [InlineData("DELETE", "/api/v1/orders")]
    [InlineData("PATCH", "/api/v1/warehouses")]
    [InlineData("GET", "/api/nothing-here")]
    public async Task API_404s_and_405s_are_JSON_problems_even_for_an_HTML_client(string method, string path)
    {
        using var api = portal.Factory.CreateApiClient();
        var response = await SendAsync(api, method, path, null, accept: "text/html,application/xhtml+xml");
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_page_404_still_shows_the_not_found_page()
    {
        using var client = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        var response = await client.GetAsync("/no-such-page-at-all");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static string Concrete(string template, string id, string text) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => m.Groups[1].Value == "id" ? id : text);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? json, string? accept = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await client.SendAsync(request);
    }

    private static async Task<string> AssertNotServerErrorAsync(string key, string @case, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{key} ({@case}): {(int)response.StatusCode} {Shorten(body)}");
        if (!response.IsSuccessStatusCode)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{key} ({@case}): {(int)response.StatusCode} answered {response.Content.Headers.ContentType} {Shorten(body)}");
            Assert.DoesNotContain("   at ", body);
            Assert.DoesNotContain("\"exception\"", body);
        }
        return body;
    }

    private static async Task<string> AssertRefusedAsync(string key, string @case, HttpResponseMessage response, bool expectErrors = false)
    {
        var body = await AssertNotServerErrorAsync(key, @case, response);
        Assert.False(response.IsSuccessStatusCode, $"{key} ({@case}) was accepted: {(int)response.StatusCode} {Shorten(body)}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("title", out _) || problem.TryGetProperty("detail", out _), $"{key} ({@case}): no title in {Shorten(body)}");
        if (expectErrors && response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), $"{key} ({@case}): the 400 names no field: {Shorten(body)}");
        }
        return body;
    }

    private static string Shorten(string s) => s.Length > 400 ? s[..400] + "…" : s;

    private enum Mode { Valid, Oversized, Huge, Negative, Script }

    /// <summary>Per-operation length of the oversized strings (see its use); theory rows run one at a time in a class.</summary>
    [ThreadStatic]
    private static int oversizedLength;

    private static JsonElement JsonBodySchema(JsonElement operation) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Resolve(root, root.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }
        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            foreach (var option in oneOf.EnumerateArray())
            {
                if (!(option.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"))
                {
                    return Resolve(root, option);
                }
            }
        }
        return schema;
    }

    private static IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement root, JsonElement schema) =>
        Resolve(root, schema).TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, p.Value)).ToList()
            : [];

    private static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("enum", out _) ? "string" : "any";
        }
        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString()!;
        }
        var types = type.EnumerateArray().Select(t => t.GetString()!).Where(t => t != "null").ToList();
        // ["integer","string"] is a number that may also be sent as a string: it is a number.
        return types.Contains("integer") ? "integer" : types.Contains("number") ? "number" : types.FirstOrDefault() ?? "string";
    }

    private static bool HasInteger(JsonElement root, JsonElement schema) =>
        Properties(root, schema).Any(p => TypeOf(Resolve(root, p.Schema)) is "integer" or "number" || (TypeOf(Resolve(root, p.Schema)) == "array"
            && Resolve(root, p.Schema).TryGetProperty("items", out var items) && HasInteger(root, items)));

    private static JsonNode? Sample(JsonElement root, JsonElement schema, Mode mode, string marker = "", int depth = 0)
    {
        var s = Resolve(root, schema);
        if (s.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values.EnumerateArray().First(v => v.ValueKind == JsonValueKind.String).GetString());
        }
        switch (TypeOf(s))
        {
            case "object":
                var obj = new JsonObject();
                foreach (var (name, property) in Properties(root, s))
                {
                    obj[name] = depth > 4 ? null : Sample(root, property, mode, marker, depth + 1);
                }
                return obj;
            case "array":
                return new JsonArray(s.TryGetProperty("items", out var items) ? Sample(root, items, mode, marker, depth + 1) : JsonValue.Create("a"));
            case "integer":
                return mode switch { Mode.Huge => JsonValue.Create("99999999999999999999999"), Mode.Negative => JsonValue.Create(-1), _ => JsonValue.Create(1) };
            case "number":
                return mode switch { Mode.Huge => JsonValue.Create("1e400"), Mode.Negative => JsonValue.Create(-1.5m), _ => JsonValue.Create(1.5m) };
            case "boolean":
                return JsonValue.Create(true);
            default:
                var format = s.TryGetProperty("format", out var f) ? f.GetString() : null;
                if (format is "date-time")
                {
                    return JsonValue.Create("2030-01-02T10:00:00+08:00");
                }
                if (format is "date")
                {
                    return JsonValue.Create("2030-01-02");
                }
                if (format is "uuid")
                {
                    return JsonValue.Create(Guid.Empty.ToString());
                }
                return mode switch
                {
                    Mode.Oversized => JsonValue.Create(marker + new string('x', oversizedLength)),
                    Mode.Script => JsonValue.Create(Script + ImageOnError),
                    _ => JsonValue.Create("a"),
                };
        }
    }

    private static JsonNode WrongType(JsonElement root, JsonElement schema) =>
        TypeOf(Resolve(root, schema)) switch
        {
            "integer" or "number" => JsonValue.Create("not-a-number"),
            "boolean" => JsonValue.Create("not-a-boolean"),
            "array" or "object" => JsonValue.Create(42),
            _ => new JsonObject { ["unexpected"] = new JsonArray(1, 2) },
        };

    /// <summary>A stream of zeros of a given length, so a 51 MB upload needs no 51 MB buffer.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long position;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) =>
            position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => position + offset, _ => length + offset };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
