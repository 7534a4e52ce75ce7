using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>
/// A loopback TCP relay between the gateway and a broker that can cut every connection at once, without any MQTT
/// goodbye: to the broker it looks like the gateway died or its network went, which is when the last will fires.
/// </summary>
public sealed class SeverableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly ConcurrentQueue<Socket> sockets = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    public SeverableTcpProxy(int target)
    {
        this.target = target;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Resets every relayed connection, on both sides.</summary>
    public void Sever()
    {
        while (sockets.TryDequeue(out var socket))
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await listener.AcceptSocketAsync(stopping.Token);
                var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await outbound.ConnectAsync(IPAddress.Loopback, target, stopping.Token);
                sockets.Enqueue(inbound);
                sockets.Enqueue(outbound);
                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        }
        catch (Exception failure) when (failure is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception failure) when (failure is SocketException or ObjectDisposedException)
        {
            // One side was cut; the other goes with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Sever();
        stopping.Dispose();
    }
}
