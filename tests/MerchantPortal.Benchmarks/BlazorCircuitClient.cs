using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// A headless Blazor Server client (what ASP.NET's retired "Ignitor" test client did): it speaks the real protocol
/// over the real WebSocket, as blazor.web.js (.NET 10) does, so a P9 load of 200 sessions costs the driver a SignalR
/// connection each instead of a Chromium page each. It
/// 1. GETs the page with the signed-in cookie and takes the prerendered root components (<c>&lt;!--Blazor:{…}--&gt;</c>)
///    and the persisted state (<c>&lt;!--Blazor-Server-Component-State:…--&gt;</c>) from the HTML;
/// 2. connects to /_blazor with the "blazorpack" protocol (MessagePack under another name), calls
///    <c>StartCircuit(baseUri, uri, "[]", state)</c> and then <c>UpdateRootComponents</c> with the markers, as the
///    browser does for global interactivity;
/// 3. answers every JS interop call with a benign success (<c>EndInvokeJSFromDotNet</c>), follows
///    <c>navigationManager.navigateTo</c> with <c>OnLocationChanged</c>, and acks every render batch with
///    <c>OnRenderCompleted</c>;
/// 4. reads each render batch far enough to know, per <c>data-testid</c>, the event handler ids of that element, and
///    which order links (<c>/orders/{no}</c>) the batch carries;
/// 5. dispatches UI events the way the browser does since .NET 7: <c>BeginInvokeDotNetFromJS</c> →
///    <c>DispatchEventAsync</c> on the renderer's interop object, and times dispatch → the render batch that carries
///    the new rows (the moment a browser would apply them to the DOM).
/// </summary>
public sealed class BlazorCircuitClient : IAsyncDisposable
{
    private static readonly Regex ServerMarker = new("<!--Blazor:(\\{\"type\":\"server\".*?\\})-->", RegexOptions.Compiled);
    private static readonly Regex ServerState = new("<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->", RegexOptions.Compiled);

    // JS functions whose result the page reads as a value type (null would fail the circuit): what a browser with the
    // default preferences answers.
    private static readonly Dictionary<string, object> TypedResults = new(StringComparer.Ordinal)
    {
        ["portal.getDarkMode"] = false,
    };

    private readonly Uri baseUri;
    private readonly CookieContainer cookies;
    private readonly HttpClient http;
    private readonly object gate = new();
    private readonly Dictionary<string, Target> targets = new(StringComparer.Ordinal);
    private HubConnection? connection;
    private long interopObjectId = -1;
    private long nextCallId;
    private long nextJsObjectId;
    private string currentUri = "";
    private bool locationChangingListeners;
    private readonly TaskCompletionSource<bool> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Pending? pending;
    private bool waitForRows = true;

    public BlazorCircuitClient(Uri baseUri, CookieContainer cookies, HttpClient http)
    {
        this.baseUri = baseUri;
        this.cookies = cookies;
        this.http = http;
    }

    /// <summary>Order numbers of the rows the last row-carrying render batch showed (the first is the top row).</summary>
    public IReadOnlyList<string> Rows { get; private set; } = [];

    public string? LastError { get; private set; }

    /// <summary>The X-Upstream header of the page's response, when a proxy adds it; null otherwise.</summary>
    public string? Upstream { get; private set; }

    public int RenderBatches { get; private set; }

    public int JsCalls { get; private set; }

    /// <summary>
    /// Opens a circuit on <paramref name="path"/>. With <paramref name="waitForRows"/> it returns once the orders grid
    /// has rows and the "next" button's handler is known; otherwise after the first interactive render batch.
    /// </summary>
    public async Task StartAsync(string path, CancellationToken cancel, bool waitForRows = true)
    {
        this.waitForRows = waitForRows;
        string html;
        using (var page = await http.GetAsync(new Uri(baseUri, path), cancel))
        {
            page.EnsureSuccessStatusCode();
            // Behind a proxy that names the instance it chose (ui-load-scaleout's nginx), which one served this page.
            Upstream = page.Headers.TryGetValues("X-Upstream", out var upstream) ? upstream.FirstOrDefault() : null;
            html = await page.Content.ReadAsStringAsync(cancel);
        }
        if (Environment.GetEnvironmentVariable("MP_P9_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllTextAsync(dump, html, cancel);
        }
        var markers = ServerMarker.Matches(html).Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .OrderBy(m => (int)m["sequence"]!).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path}: no interactive server component markers in the page (signed out?)");
        }
        var state = ServerState.Match(html) is { Success: true } s ? s.Groups[1].Value : "";
        currentUri = new Uri(baseUri, path).ToString();

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.Cookies = cookies;
            })
            .ConfigureLogging(_ => { });
        // The hub protocol comes from DI: MessagePack's bytes under the name blazor.web.js uses ("blazorpack").
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        connection = builder.Build();
        Register(connection);
        await connection.StartAsync(cancel);

        var circuitId = await connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), currentUri, "[]", state, cancel);
        if (string.IsNullOrEmpty(circuitId))
        {
            throw new InvalidOperationException("StartCircuit refused: " + LastError);
        }
        var operations = new JsonArray();
        var ssrId = 1;
        foreach (var marker in markers)
        {
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = ssrId++, ["marker"] = marker });
        }
        var batch = new JsonObject { ["batchId"] = 1, ["operations"] = operations };
        await connection.SendAsync("UpdateRootComponents", batch.ToJsonString(), state, cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await ready.Task.WaitAsync(timeout.Token);
    }

    /// <summary>
    /// Dispatches <paramref name="eventName"/> on the element with <paramref name="testId"/> and waits for the render
    /// batch that carries rows different from the ones shown now. Returns dispatch → that batch, in milliseconds.
    /// </summary>
    public async Task<double> InteractAsync(string testId, string eventName, object eventArgs, string? fieldValue, TimeSpan timeout)
    {
        ulong handler;
        int owner;
        lock (gate)
        {
            if (!targets.TryGetValue(testId, out var target) || !target.Handlers.TryGetValue(eventName, out handler))
            {
                throw new InvalidOperationException($"no '{eventName}' handler known for [data-testid={testId}]");
            }
            owner = target.Owner;
        }
        var wait = new Pending(Rows.FirstOrDefault());
        lock (gate)
        {
            pending = wait;
        }
        var descriptor = new JsonObject
        {
            ["eventHandlerId"] = handler,
            ["eventName"] = eventName,
            ["eventFieldInfo"] = fieldValue is null ? null : new JsonObject { ["componentId"] = owner, ["fieldValue"] = fieldValue },
        };
        var args = new JsonArray(descriptor, JsonSerializer.SerializeToNode(eventArgs)).ToJsonString();
        var callId = Interlocked.Increment(ref nextCallId).ToString(CultureInfo.InvariantCulture);
        wait.Start = Stopwatch.GetTimestamp();
        await connection!.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", interopObjectId, args);
        return await wait.Done.Task.WaitAsync(timeout);
    }

    public bool Has(string testId, string eventName)
    {
        lock (gate)
        {
            return targets.TryGetValue(testId, out var t) && t.Handlers.ContainsKey(eventName);
        }
    }

    private void Register(HubConnection hub)
    {
        hub.On<long, string, string, int, long, int>("JS.BeginInvokeJS", async (handle, identifier, argsJson, resultType, _, _) =>
        {
            JsCalls++;
            object? result = null;
            switch (identifier)
            {
                case "Blazor._internal.attachWebRendererInterop":
                    var a = JsonNode.Parse(argsJson)!.AsArray();
                    interopObjectId = (long)a[1]!["__dotNetObject"]!;
                    break;
                case "Blazor._internal.navigationManager.setHasLocationChangingListeners":
                    locationChangingListeners = (bool)JsonNode.Parse(argsJson)!.AsArray()[1]!;
                    break;
                case "Blazor._internal.navigationManager.getBaseURI":
                    result = baseUri.ToString();
                    break;
                case "Blazor._internal.navigationManager.getLocationHref":
                    result = currentUri;
                    break;
                case var known when TypedResults.TryGetValue(known, out var typed):
                    result = typed;
                    break;
                default:
                    // A JS object reference (module import, MudBlazor's observers) is an id the server calls later.
                    if (resultType == 1)
                    {
                        result = new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref nextJsObjectId) };
                    }
                    break;
            }
            if (handle != 0)
            {
                await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, new JsonArray(handle, true, result is JsonNode n ? n : JsonValue.Create(result)).ToJsonString());
            }
            if (identifier == "Blazor._internal.navigationManager.navigateTo")
            {
                // The browser pushes the history entry and tells the circuit; the router then renders the new query.
                var uri = new Uri(baseUri, (string)JsonNode.Parse(argsJson)!.AsArray()[0]!).ToString();
                currentUri = uri;
                if (locationChangingListeners)
                {
                    LastError = "the page registered location-changing listeners; this client does not confirm them";
                }
                await hub.SendAsync("OnLocationChanged", uri, null, false);
            }
        });
        hub.On<long, byte[]>("JS.RenderBatch", async (batchId, data) =>
        {
            var received = Stopwatch.GetTimestamp();
            RenderBatches++;
            Read(data, received);
            await hub.SendAsync("OnRenderCompleted", batchId, null);
        });
        hub.On<string>("JS.Error", error =>
        {
            LastError = error;
            lock (gate)
            {
                pending?.Done.TrySetException(new InvalidOperationException("circuit error: " + error));
            }
            ready.TrySetException(new InvalidOperationException("circuit error: " + error));
        });
        hub.On<string>("JS.EndInvokeDotNet", json =>
        {
            // [callId, succeeded, result-or-error]: a failed event dispatch is a failed interaction.
            var a = JsonNode.Parse(json)!.AsArray();
            if (a.Count > 1 && a[1]?.GetValueKind() == JsonValueKind.False)
            {
                LastError = a.Count > 2 ? a[2]?.ToJsonString() : "DispatchEventAsync failed";
                lock (gate)
                {
                    pending?.Done.TrySetException(new InvalidOperationException(LastError));
                }
            }
        });
        hub.On<long>("JS.EndUpdateRootComponents", _ => { });
        hub.On<int, bool>("JS.EndLocationChanging", (_, _) => { });
        hub.Closed += error =>
        {
            LastError ??= "connection closed: " + error?.Message;
            lock (gate)
            {
                pending?.Done.TrySetException(new InvalidOperationException(LastError));
            }
            ready.TrySetException(new InvalidOperationException(LastError));
            return Task.CompletedTask;
        };
    }

    // The render batch format of RenderBatchWriter (Microsoft.AspNetCore.Components.Server), read as blazor.web.js
    // reads it: five int32 section offsets at the end; edits of 16 bytes; reference frames of 20 bytes; strings in a
    // table of BinaryWriter strings (7-bit length + UTF-8).
    private void Read(byte[] data, long receivedAt)
    {
        var span = data.AsSpan();
        int I32(int at) => BitConverter.ToInt32(data, at);
        var end = data.Length;
        var updated = I32(end - 20);
        var frames = I32(end - 16);
        var stringTable = I32(end - 4);
        string? Str(int index)
        {
            if (index < 0)
            {
                return null;
            }
            var at = I32(stringTable + 4 * index);
            int length = 0, shift = 0;
            byte b;
            do
            {
                b = data[at++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return Encoding.UTF8.GetString(data, at, length);
        }

        var rows = new List<string>();
        // Row links are attribute values: every string of the batch that is an order's detail link.
        var strings = (end - 20 - stringTable) / 4;
        for (var i = 0; i < strings; i++)
        {
            var s = Str(i);
            if (s is not null && s.StartsWith("/orders/", StringComparison.Ordinal) && !s.Contains('?')
                && !s.StartsWith("/orders/export", StringComparison.Ordinal) && !s.StartsWith("/orders/import", StringComparison.Ordinal))
            {
                rows.Add(Uri.UnescapeDataString(s["/orders/".Length..]));
            }
        }

        var frameBase = frames + 4;
        int FrameType(int index) => I32(frameBase + 20 * index);
        int FrameAt(int index, int offset) => I32(frameBase + 20 * index + offset);
        ulong Handler(int index) => BitConverter.ToUInt64(data, frameBase + 20 * index + 12);

        lock (gate)
        {
            var diffs = I32(updated);
            for (var d = 0; d < diffs; d++)
            {
                var diff = I32(updated + 4 + 4 * d);
                var componentId = I32(diff);
                var edits = I32(diff + 4);
                for (var e = 0; e < edits; e++)
                {
                    var edit = diff + 8 + 16 * e;
                    var type = I32(edit);
                    var frame = I32(edit + 8);
                    if (type == 1)
                    {
                        // PrependFrame: the frame and its subtree (children of child components are in their own diffs).
                        var length = FrameType(frame) is 1 or 4 or 5 ? FrameAt(frame, 4) : 1;
                        for (var f = frame; f < frame + length; f++)
                        {
                            if (FrameType(f) != 1)
                            {
                                continue;
                            }
                            string? testId = null;
                            var handlers = new Dictionary<string, ulong>(StringComparer.Ordinal);
                            for (var a = f + 1; a < frame + length && FrameType(a) == 3; a++)
                            {
                                var name = Str(FrameAt(a, 4));
                                var handler = Handler(a);
                                if (handler != 0 && name is not null && name.StartsWith("on", StringComparison.Ordinal))
                                {
                                    handlers[name[2..]] = handler;
                                }
                                else if (name == "data-testid")
                                {
                                    testId = Str(FrameAt(a, 8));
                                }
                            }
                            if (testId is not null)
                            {
                                targets[testId] = new Target(componentId, handlers);
                            }
                        }
                    }
                    else if (type == 3 && FrameType(frame) == 3 && Handler(frame) != 0)
                    {
                        // SetAttribute with a new handler id: the element is one this component rendered before.
                        var name = Str(FrameAt(frame, 4));
                        if (name is not null && name.StartsWith("on", StringComparison.Ordinal))
                        {
                            foreach (var t in targets.Values.Where(t => t.Owner == componentId && t.Handlers.ContainsKey(name[2..])))
                            {
                                t.Handlers[name[2..]] = Handler(frame);
                            }
                        }
                    }
                }
            }

            if (!waitForRows)
            {
                ready.TrySetResult(true);
            }
            if (rows.Count > 0)
            {
                Rows = rows;
                if (targets.ContainsKey("orders-next"))
                {
                    ready.TrySetResult(true);
                }
                if (pending is { } p && rows[0] != p.FirstRowBefore)
                {
                    p.Done.TrySetResult(Stopwatch.GetElapsedTime(p.Start, receivedAt).TotalMilliseconds);
                    pending = null;
                }
            }
            else if (targets.ContainsKey("orders-next") && Rows.Count > 0)
            {
                ready.TrySetResult(true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Blazor's "blazorpack" is SignalR's MessagePack protocol (version 2) registered under its own name.</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol inner = new();

        public string Name => "blazorpack";

        public int Version => inner.Version;

        public TransferFormat TransferFormat => inner.TransferFormat;

        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    }

    private sealed record Target(int Owner, Dictionary<string, ulong> Handlers);

    private sealed class Pending(string? firstRowBefore)
    {
        public string? FirstRowBefore { get; } = firstRowBefore;
        public long Start { get; set; }
        public TaskCompletionSource<double> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
