using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantPortal.PrinterSandbox;

/// <summary>One connection's worth of data: what a raw-TCP print (connect, write, close) delivered, and its labels.</summary>
public sealed record PrintedJob(DateTime ReceivedAtUtc, PrinterLanguage Language, int Bytes, IReadOnlyList<PrintedLabel> Labels);

/// <summary>
/// A thermal label printer on a loopback TCP port, as a JetDirect/raw port 9100 printer behaves: it accepts a
/// connection, reads until the sender closes it, and prints what it read. ZPL (a stream with ^XA) or TSPL (anything
/// else) is parsed into labels and kept, in arrival order, for tests to read. <see cref="SetOnline"/>(false) closes
/// the port, so connections are refused as with a printer that is off or unplugged; true opens it again on the same port.
/// </summary>
public sealed class PrinterSimulator : IAsyncDisposable
{
    /// <summary>The most one job may send: far above a batch of labels, and a bound on a runaway sender.</summary>
    public const int MaxJobBytes = 64 * 1024 * 1024;

    private readonly object gate = new();
    private readonly List<PrintedJob> jobs = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly int dotsPerMm;
    private TcpListener? listener;
    private Task? acceptLoop;

    static PrinterSimulator() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private PrinterSimulator(int port, int dotsPerMm)
    {
        Port = port;
        this.dotsPerMm = dotsPerMm;
    }

    /// <summary>Starts listening on 127.0.0.1 (port 0 = any free port; see <see cref="Port"/>).</summary>
    public static PrinterSimulator Start(int port = 0, int dotsPerMm = 8)
    {
        var simulator = new PrinterSimulator(port, dotsPerMm);
        simulator.SetOnline(true);
        return simulator;
    }

    public int Port { get; private set; }

    public bool Online
    {
        get
        {
            lock (gate)
            {
                return listener is not null;
            }
        }
    }

    /// <summary>Every job received so far, oldest first.</summary>
    public IReadOnlyList<PrintedJob> Jobs
    {
        get
        {
            lock (gate)
            {
                return [.. jobs];
            }
        }
    }

    /// <summary>Every label received so far, in the order printed (a job's labels in their order).</summary>
    public IReadOnlyList<PrintedLabel> Labels => [.. Jobs.SelectMany(j => j.Labels)];

    /// <summary>Raised after a job is parsed and kept.</summary>
    public event Action<PrintedJob>? Printed;

    public void SetOnline(bool online)
    {
        lock (gate)
        {
            if (online == (listener is not null))
            {
                return;
            }
            if (!online)
            {
                listener!.Stop();
                listener = null;
                return;
            }
            var l = new TcpListener(IPAddress.Loopback, Port);
            // Back on the same port at once, even with the last connections still in TIME_WAIT.
            l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            l.Start();
            Port = ((IPEndPoint)l.LocalEndpoint).Port;
            listener = l;
            acceptLoop = AcceptAsync(l);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            jobs.Clear();
        }
    }

    /// <summary>Parses a stream as a printer would: ZPL when it holds ^XA, otherwise TSPL (UTF-8 after CODEPAGE UTF-8, else GB18030).</summary>
    public static (PrinterLanguage Language, IReadOnlyList<PrintedLabel> Labels) Parse(byte[] data, int dotsPerMm = 8)
    {
        var ascii = Encoding.Latin1.GetString(data);
        if (ascii.Contains("^XA", StringComparison.OrdinalIgnoreCase))
        {
            return (PrinterLanguage.Zpl, ZplParser.Parse(Encoding.UTF8.GetString(data)));
        }
        var encoding = ascii.Contains("CODEPAGE UTF-8", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8 : Encoding.GetEncoding("GB18030");
        return (PrinterLanguage.Tspl, TsplParser.Parse(encoding.GetString(data), dotsPerMm));
    }

    private async Task AcceptAsync(TcpListener l)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await l.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException or InvalidOperationException)
            {
                return; // taken offline or disposed
            }
            _ = ReceiveAsync(client);
        }
    }

    private async Task ReceiveAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var stream = client.GetStream();
                using var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > MaxJobBytes)
                    {
                        return;
                    }
                }
                if (buffer.Length == 0)
                {
                    return; // a connection check (open and close), not a print
                }
                var data = buffer.ToArray();
                var (language, labels) = Parse(data, dotsPerMm);
                var job = new PrintedJob(DateTime.UtcNow, language, data.Length, labels);
                lock (gate)
                {
                    jobs.Add(job);
                }
                Printed?.Invoke(job);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The sender went away mid-job: a printer prints nothing of a cut-off stream here.
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> labels have been printed (no fixed sleep: woken by each job).</summary>
    public async Task<IReadOnlyList<PrintedLabel>> WaitForLabelsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var signal = new SemaphoreSlim(0);
        void OnPrinted(PrintedJob _) => signal.Release();
        Printed += OnPrinted;
        try
        {
            while (Labels.Count < count)
            {
                try
                {
                    await signal.WaitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"The simulated printer received {Labels.Count} of {count} labels in {timeout}.");
                }
            }
            return Labels;
        }
        finally
        {
            Printed -= OnPrinted;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        SetOnline(false);
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }
        stopping.Dispose();
    }
}
