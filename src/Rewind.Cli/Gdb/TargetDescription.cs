using System.Text;

namespace Rewind.Cli.Gdb;

/// <summary>
/// target.xml for an x86-64 Linux process, register for register what gdb's amd64-linux
/// descriptions hold (gdb/features/i386): the core, SSE, orig_rax (org.gnu.gdb.i386.linux,
/// number 57), fs_base/gs_base (segments) and, when the machine has it, the AVX upper halves.
/// gdb numbers registers in the order they appear, so this order is the 'g' packet's layout.
/// </summary>
internal sealed class TargetDescription
{
    private const string Core = "org.gnu.gdb.i386.core", Sse = "org.gnu.gdb.i386.sse", Linux = "org.gnu.gdb.i386.linux",
        Segments = "org.gnu.gdb.i386.segments", Avx = "org.gnu.gdb.i386.avx";

    private TargetDescription(IReadOnlyList<GdbRegister> registers, string xml)
    {
        Registers = registers;
        Xml = xml;
    }

    public IReadOnlyList<GdbRegister> Registers { get; }

    public string Xml { get; }

    public static TargetDescription Amd64Linux(bool avx)
    {
        var regs = new List<GdbRegister>();
        foreach (string name in (string[])["rax", "rbx", "rcx", "rdx", "rsi", "rdi"])
        {
            regs.Add(new(name, 64, "int64", Core));
        }
        regs.Add(new("rbp", 64, "data_ptr", Core));
        regs.Add(new("rsp", 64, "data_ptr", Core));
        for (int i = 8; i <= 15; i++)
        {
            regs.Add(new($"r{i}", 64, "int64", Core));
        }
        regs.Add(new("rip", 64, "code_ptr", Core));
        regs.Add(new("eflags", 32, "i386_eflags", Core));
        foreach (string name in (string[])["cs", "ss", "ds", "es", "fs", "gs"])
        {
            regs.Add(new(name, 32, "int32", Core));
        }
        for (int i = 0; i < 8; i++)
        {
            regs.Add(new($"st{i}", 80, "i387_ext", Core));
        }
        foreach (string name in (string[])["fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"])
        {
            regs.Add(new(name, 32, "int", Core, "float"));
        }
        for (int i = 0; i < 16; i++)
        {
            regs.Add(new($"xmm{i}", 128, "vec128", Sse));
        }
        regs.Add(new("mxcsr", 32, "i386_mxcsr", Sse, "vector"));
        regs.Add(new("orig_rax", 64, "int", Linux));
        regs.Add(new("fs_base", 64, "int", Segments));
        regs.Add(new("gs_base", 64, "int", Segments));
        if (avx)
        {
            for (int i = 0; i < 16; i++)
            {
                regs.Add(new($"ymm{i}h", 128, "uint128", Avx));
            }
        }
        return new TargetDescription(regs, BuildXml(regs));
    }

    private static string BuildXml(List<GdbRegister> regs)
    {
        var x = new StringBuilder();
        x.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.Append("<architecture>i386:x86-64</architecture>\n<osabi>GNU/Linux</osabi>\n");
        string? open = null;
        for (int n = 0; n < regs.Count; n++)
        {
            var r = regs[n];
            if (r.Feature != open)
            {
                if (open != null)
                {
                    x.Append("</feature>\n");
                }
                open = r.Feature;
                x.Append($"<feature name=\"{r.Feature}\">\n");
                x.Append(r.Feature switch
                {
                    Core => EflagsType,
                    Sse => SseTypes,
                    _ => "",
                });
            }
            x.Append($"  <reg name=\"{r.Name}\" bitsize=\"{r.BitSize}\" type=\"{r.Type}\" regnum=\"{n}\"");
            x.Append(r.Group != null ? $" group=\"{r.Group}\"/>\n" : "/>\n");
        }
        x.Append("</feature>\n</target>\n");
        return x.ToString();
    }

    private const string EflagsType = """
          <flags id="i386_eflags" size="4">
            <field name="CF" start="0" end="0"/> <field name="" start="1" end="1"/> <field name="PF" start="2" end="2"/>
            <field name="AF" start="4" end="4"/> <field name="ZF" start="6" end="6"/> <field name="SF" start="7" end="7"/>
            <field name="TF" start="8" end="8"/> <field name="IF" start="9" end="9"/> <field name="DF" start="10" end="10"/>
            <field name="OF" start="11" end="11"/> <field name="NT" start="14" end="14"/> <field name="RF" start="16" end="16"/>
            <field name="VM" start="17" end="17"/> <field name="AC" start="18" end="18"/> <field name="VIF" start="19" end="19"/>
            <field name="VIP" start="20" end="20"/> <field name="ID" start="21" end="21"/>
          </flags>

        """;

    private const string SseTypes = """
          <vector id="v4f" type="ieee_single" count="4"/> <vector id="v2d" type="ieee_double" count="2"/>
          <vector id="v16i8" type="int8" count="16"/> <vector id="v8i16" type="int16" count="8"/>
          <vector id="v4i32" type="int32" count="4"/> <vector id="v2i64" type="int64" count="2"/>
          <union id="vec128">
            <field name="v4_float" type="v4f"/> <field name="v2_double" type="v2d"/> <field name="v16_int8" type="v16i8"/>
            <field name="v8_int16" type="v8i16"/> <field name="v4_int32" type="v4i32"/> <field name="v2_int64" type="v2i64"/>
            <field name="uint128" type="uint128"/>
          </union>
          <flags id="i386_mxcsr" size="4">
            <field name="IE" start="0" end="0"/> <field name="DE" start="1" end="1"/> <field name="ZE" start="2" end="2"/>
            <field name="OE" start="3" end="3"/> <field name="UE" start="4" end="4"/> <field name="PE" start="5" end="5"/>
            <field name="DAZ" start="6" end="6"/> <field name="IM" start="7" end="7"/> <field name="DM" start="8" end="8"/>
            <field name="ZM" start="9" end="9"/> <field name="OM" start="10" end="10"/> <field name="UM" start="11" end="11"/>
            <field name="PM" start="12" end="12"/> <field name="FZ" start="15" end="15"/>
          </flags>

        """;
}
