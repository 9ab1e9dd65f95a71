using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;
using Microsoft.Diagnostics.Runtime.Utilities;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The data-access library's IXCLRDataProcess (xclrdata.idl): what walks a thread's managed frames
/// to the arguments and locals the JIT's debug information places (SOS's clrstack -a reads them
/// so). ClrMD reads none of them (ClrStackFrame lost Arguments and Locals in ClrMD 2.0), though it
/// holds this very interface, created over our ReplayDataReader; this takes a reference to ClrMD's
/// instance rather than making a second one, which would need a data target of its own.
/// </summary>
internal sealed unsafe class XclrDataProcess : IDisposable
{
    private static readonly Guid Iid = new("5c552ab6-fc09-4cb3-8e36-22fa03c798b7");

    // Method indexes, in xclrdata.idl's order.
    private const int ProcessGetTaskByOSThreadID = 4;
    private const int ProcessStartEnumMethodInstancesByAddress = 24;
    private const int ProcessEnumMethodInstanceByAddress = 25;
    private const int ProcessEndEnumMethodInstancesByAddress = 26;
    private const int TaskCreateStackWalk = 8;
    private const int StackWalkGetContext = 0;
    private const int StackWalkNext = 2;
    private const int StackWalkGetFrameType = 4;
    private const int StackWalkGetFrame = 5;

    // CLRDataSimpleFrameType: every kind, as ClrMD walks, so that the walk goes through the
    // runtime's own frames to the managed ones beyond them.
    private const uint AllFrameTypes = 0xf;
    private const int ManagedMethod = 0x2;
    // CONTEXT_AMD64 | CONTEXT_CONTROL (winnt.h): the stack pointer and pc are all a frame is matched by.
    private const uint ControlContext = 0x100001;
    // A walk longer than this is a cycle or damage.
    private const int MaxFrames = 4096;

    private const string ServiceProvider = "Microsoft.Diagnostics.Runtime.DacImplementation.DacServiceProvider";

    private readonly DacObject _process;

    private XclrDataProcess(DacObject process) => _process = process;

    /// <summary>
    /// ClrMD's IXCLRDataProcess of <paramref name="runtime"/>, with a reference of our own; null
    /// where this version of ClrMD keeps it elsewhere. It is internal to ClrMD 4.2 (ClrRuntime's
    /// service provider, a DacServiceProvider, holds it as a ClrDataProcess), so it is reached by
    /// reflection; the wrapper's type is ClrMD's public CallableCOMWrapper, whose QueryInterface
    /// gives the new reference. The provider's fields are kept for reflection in a build compiled
    /// ahead of time (the installed CLI) by the DynamicDependency, which names its type.
    /// </summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicFields, ServiceProvider, "Microsoft.Diagnostics.Runtime")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "the DynamicDependency keeps the provider's fields")]
    public static XclrDataProcess? Of(ClrRuntime runtime)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        object? services = typeof(ClrRuntime).GetField("_services", Private)?.GetValue(runtime);
        if (services?.GetType().GetField("_process", Private)?.GetValue(services) is not CallableCOMWrapper wrapper)
        {
            return null;
        }
        IntPtr process = wrapper.QueryInterface(Iid);
        return process == 0 ? null : new XclrDataProcess(new DacObject(process));
    }

    /// <summary>
    /// The frame of managed method code at stack pointer <paramref name="stackPointer"/> and pc
    /// <paramref name="pc"/> on thread <paramref name="tid"/> (the values ClrMD's walk gave it, from
    /// the same walk); null where the library finds none.
    /// </summary>
    public XclrDataFrame? FrameAt(Tid tid, ulong stackPointer, ulong pc)
    {
        IntPtr taskPointer, walkPointer;
        if (((delegate* unmanaged<IntPtr, uint, IntPtr*, int>)_process.Method(ProcessGetTaskByOSThreadID))(_process.Self, (uint)tid.Value, &taskPointer) != 0)
        {
            return null;
        }
        using var task = new DacObject(taskPointer);
        if (((delegate* unmanaged<IntPtr, uint, IntPtr*, int>)task.Method(TaskCreateStackWalk))(task.Self, AllFrameTypes, &walkPointer) != 0)
        {
            return null;
        }
        using var walk = new DacObject(walkPointer);
        var context = stackalloc byte[AMD64Context.Size];
        for (int i = 0; i < MaxFrames; i++)
        {
            uint size;
            int simpleType, detailedType;
            if (((delegate* unmanaged<IntPtr, uint, uint, uint*, byte*, int>)walk.Method(StackWalkGetContext))(walk.Self, ControlContext, (uint)AMD64Context.Size, &size, context) != 0)
            {
                return null;
            }
            var registers = MemoryMarshal.Read<AMD64Context>(new ReadOnlySpan<byte>(context, AMD64Context.Size));
            if (registers.Rsp == stackPointer && registers.Rip == pc
                && ((delegate* unmanaged<IntPtr, int*, int*, int>)walk.Method(StackWalkGetFrameType))(walk.Self, &simpleType, &detailedType) == 0
                && simpleType == ManagedMethod)
            {
                IntPtr frame;
                return ((delegate* unmanaged<IntPtr, IntPtr*, int>)walk.Method(StackWalkGetFrame))(walk.Self, &frame) == 0
                    ? new XclrDataFrame(new DacObject(frame)) : null;
            }
            // S_FALSE: no frame after this one.
            if (((delegate* unmanaged<IntPtr, int>)walk.Method(StackWalkNext))(walk.Self) != 0)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The method whose code holds <paramref name="address"/>, in any of its code versions (the
    /// library finds its MethodDesc from the code's header); null where no managed code is.
    /// </summary>
    public XclrDataMethodInstance? MethodInstanceAt(ulong address)
    {
        ulong handle;
        // S_FALSE: an empty enumeration.
        if (((delegate* unmanaged<IntPtr, ulong, IntPtr, ulong*, int>)_process.Method(ProcessStartEnumMethodInstancesByAddress))(_process.Self, address, 0, &handle) != 0)
        {
            return null;
        }
        IntPtr instance;
        int found = ((delegate* unmanaged<IntPtr, ulong*, IntPtr*, int>)_process.Method(ProcessEnumMethodInstanceByAddress))(_process.Self, &handle, &instance);
        _ = ((delegate* unmanaged<IntPtr, ulong, int>)_process.Method(ProcessEndEnumMethodInstancesByAddress))(_process.Self, handle);
        return found == 0 ? new XclrDataMethodInstance(new DacObject(instance)) : null;
    }

    /// <summary>The library's SOS interfaces, which the same object implements; null where it lacks them.</summary>
    public SosDac? Sos() => SosDac.Of(_process);

    public void Dispose() => _process.Dispose();
}
