using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>
/// Debian's mosquitto on a free loopback port with a throw-away configuration: the broker most owners run. A
/// missing mosquitto fails the test that needs it, with the install line (.ci/run installs it).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private readonly Process process;
    private readonly DirectoryInfo folder;
    private readonly StringBuilder output = new();
    private DirectoryInfo? alsoOwned;

    private MosquittoBroker(Process process, DirectoryInfo folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken) => StartAsync(port => $"""
        listener {port} 127.0.0.1
        allow_anonymous true
        persistence false
        log_dest stdout
        """, cancellationToken);

    /// <summary>
    /// Mosquitto with the configuration the project ships in <c>deploy/mqtt/mosquitto.conf</c>, on a free loopback
    /// port, its password file made by mosquitto_passwd for <paramref name="users"/> as the deploy README says.
    /// </summary>
    public static async Task<MosquittoBroker> StartWithShippedConfigAsync(IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EvGateway.sln")))
        {
            root = root.Parent;
        }

        var shipped = await File.ReadAllTextAsync(Path.Combine(root!.FullName, "deploy", "mqtt", "mosquitto.conf"), cancellationToken);
        var work = Directory.CreateTempSubdirectory("evgw-mosquitto-users-");
        var passwords = Path.Combine(work.FullName, "passwords");
        foreach (var (user, password) in users)
        {
            var create = File.Exists(passwords) ? [] : new[] { "-c" };
            using var passwd = Process.Start(new ProcessStartInfo("mosquitto_passwd", [.. create, "-b", passwords, user, password])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await passwd.WaitForExitAsync(cancellationToken);
            Assert.Equal(0, passwd.ExitCode);
        }

        // Started as root, mosquitto drops to its own user, which must read the passwords and keep its retained store here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(work.FullName, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(passwords, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return await StartAsync(port => shipped
            .Replace("listener 1883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
            .Replace("/mosquitto/config/passwords", passwords, StringComparison.Ordinal)
            .Replace("/mosquitto/data/", work.FullName + "/", StringComparison.Ordinal) + "\nlog_dest stdout\n", cancellationToken, work);
    }

    private static async Task<MosquittoBroker> StartAsync(Func<int, string> configuration, CancellationToken cancellationToken, DirectoryInfo? alsoOwned = null)
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
                         ?? throw new InvalidOperationException("mosquitto is not installed: this test needs Debian's broker (apt-get install -y mosquitto).");
        var folder = Directory.CreateTempSubdirectory("evgw-mosquitto-");
        var port = MqttProbe.FreePort();
        var config = Path.Combine(folder.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, configuration(port), cancellationToken);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(executable, ["-c", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.Start();
        var broker = new MosquittoBroker(process, folder, port) { alsoOwned = alsoOwned };
        process.OutputDataReceived += (_, e) => broker.Record(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await broker.WaitUntilListeningAsync(cancellationToken);
        return broker;
    }

    private void Record(string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                throw new InvalidOperationException($"mosquitto did not start listening on {Port}: {said}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        folder.Delete(recursive: true);
        alsoOwned?.Delete(recursive: true);
    }
}
