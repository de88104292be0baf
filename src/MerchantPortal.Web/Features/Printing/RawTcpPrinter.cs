using System.Net.Sockets;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>
/// Raw TCP printing (JetDirect, port 9100): connect, write the whole program, close. The printer prints what it was
/// sent; there is no answer to read, so "sent" means every byte was accepted by the printer's TCP stack.
/// </summary>
public sealed class RawTcpPrinter
{
    public async Task SendAsync(string host, int port, byte[] data, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var client = new TcpClient { NoDelay = true, SendTimeout = (int)timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(data, cts.Token);
            await stream.FlushAsync(cts.Token);
            // A graceful close (FIN after the data) so the printer knows the job is complete.
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PrinterUnreachableException($"{host}:{port} did not accept the job within {timeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException e)
        {
            throw new PrinterUnreachableException($"{host}:{port}: {e.SocketErrorCode} ({e.Message})");
        }
        catch (IOException e)
        {
            throw new PrinterUnreachableException($"{host}:{port}: {e.Message}");
        }
    }
}

public sealed class PrinterUnreachableException(string message) : Exception(message);
