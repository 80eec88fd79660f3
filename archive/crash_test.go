package archive

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/index"
)

// crashEnv, set in a child's environment, makes the test binary run one
// change of an index (crashChild) instead of the tests.
const crashEnv = "REUSE_ARCHIVE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if op := os.Getenv(crashEnv); op != "" {
		if err := crashChild(op); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild runs one change of the index dir, named by op: "add ROOT
// FOLDER", "replace ROOT FOLDER", "remove ID,ID,...", "compact", each
// "DIR\tOP".
func crashChild(spec string) error {
	dir, op, _ := strings.Cut(spec, "\t")
	w, err := OpenWriter(dir)
	if err != nil {
		return err
	}
	defer w.Close()
	w.SetJoinsRenumber(renumberTextJoins)
	ctx := context.Background()
	fields := strings.Split(op, "\t")
	switch fields[0] {
	case "add", "replace":
		x, err := index.Build(ctx, []string{fields[2]}, buildOpts(testParams(), fields[1]))
		if err != nil {
			return err
		}
		defer x.Close()
		_, err = w.Add(ctx, x, AddOptions{Replace: fields[0] == "replace", LoadBytes: 1 << 20, Workers: 2, Added: putTextJoins})
		return err
	case "remove":
		_, err := w.Remove(strings.Split(fields[1], ","))
		return err
	case "compact":
		return w.Compact(ctx)
	}
	return fmt.Errorf("unknown op %q", op)
}

// putTextJoins keeps grown joins for the index of w that name, as
// package cluster's name holders, a document of each segment: as lines
// "REF ID", which renumberTextJoins renumbers and checkTextJoins checks.
func putTextJoins(w *Writer) error {
	var b strings.Builder
	for s := range w.ix.segs {
		fmt.Fprintf(&b, "%d %s\n", uint64(ref(s, 0)), w.ix.ID(ref(s, 0)))
	}
	// With touched families (of alignments that may not hold), so that
	// every kill meets a file of format 2 whole.
	return w.PutJoins("max-df 3", []byte(b.String()), &Touched{Alignments: 1, Families: []int32{1, 3}, Kept: 5})
}

// renumberTextJoins renumbers joins that putTextJoins wrote.
func renumberTextJoins(joins []byte, to func(Ref) (Ref, bool)) ([]byte, error) {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(string(joins), "\n"), "\n") {
		var r uint64
		var id string
		if _, err := fmt.Sscan(line, &r, &id); err != nil {
			return nil, err
		}
		n, ok := to(Ref(r))
		if !ok {
			return nil, fmt.Errorf("document %d gone", r)
		}
		fmt.Fprintf(&b, "%d %s\n", uint64(n), id)
	}
	return []byte(b.String()), nil
}

// checkTextJoins reports what is wrong with the joins putTextJoins wrote
// that the index in dir holds: damaged, or, where no document was added
// or removed since, naming a document by another's number.
func checkTextJoins(dir string) (checked bool, err error) {
	ix, err := Open(dir, Options{})
	if err != nil {
		return false, err
	}
	defer ix.Close()
	kept, err := ix.Joins("max-df 3")
	if errors.Is(err, ErrStale) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if len(kept.Added)+len(kept.Removed) > 0 {
		return false, nil
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(kept.Joins), "\n"), "\n") {
		var r uint64
		var id string
		if _, err := fmt.Sscan(line, &r, &id); err != nil {
			return false, fmt.Errorf("joins %q: %v", kept.Joins, err)
		}
		if got := ix.ID(Ref(r)); got != id {
			return false, fmt.Errorf("joins name %s as %d, which is %q", id, r, got)
		}
	}
	return true, nil
}

// state is what an index holds: every document's id, and a digest of its
// records and of the segment holding it.
func state(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after a kill: %v", err)
	}
	defer ix.Close()
	out := map[string][32]byte{}
	err = ix.Each(func(r Ref) error {
		s, d := r.parts()
		rec, err := ix.segs[s].records(d)
		if err != nil {
			return err
		}
		out[ix.ID(r)] = sha256.Sum256(append([]byte(ix.segs[s].name), rec...))
		return nil
	})
	if err != nil {
		t.Fatalf("reading the documents after a kill: %v", err)
	}
	return out
}

func sameState(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// debris reports whether the index in dir holds files its manifest does
// not name: the work of a change killed before it was published.
func debris(t *testing.T, dir string) bool {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{manifestName: true, lockName: true}
	for _, s := range m.Segments {
		named[s.Name], named[s.Removed] = true, true
	}
	named[keptJoinsFile(dir, m, -1)] = true // grown joins that hold: derived, not debris
	names, _ := os.ReadDir(dir)
	for _, n := range names {
		if !named[n.Name()] {
			return true
		}
	}
	return false
}

// copyDir copies the files of the folder src into a new folder dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrash kills a process changing an index (adding documents,
// replacing them, removing some, compacting) with SIGKILL at random
// moments, and checks that the index is then as it was before the change
// or as it is after it: it opens, verifies without a problem, holds the
// documents of one state or the other, and takes the next change.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// A generated corpus in four folders: three indexed in a base index,
	// with some documents removed, the fourth to add.
	corpusDir := filepath.Join(t.TempDir(), "gen")
	if _, err := gen.Generate(context.Background(), corpusDir, gen.Config{Seed: 2, Docs: 160}); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(corpusDir, "corpus")
	parts := map[string]string{}
	for _, p := range []string{"src", "sus", "syn"} {
		parts[p] = filepath.Join(root, p)
	}
	base := filepath.Join(t.TempDir(), "base")
	w, err := Create(base, root, testParams())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, p := range []string{"src", "sus"} {
		if _, err := w.Add(ctx, build(t, root, parts[p]), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	all := ids(w.Index())
	var some []string
	for i, id := range all {
		if i%7 == 3 {
			some = append(some, id)
		}
	}
	if _, err := w.Remove(some[:len(some)/2]); err != nil {
		t.Fatal(err)
	}
	// Grown joins of the base, which additions grow again and merges
	// carry over (SetJoinsRenumber): never damaged, never naming a
	// document by another's number.
	if err := putTextJoins(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	ops := []string{
		"add\t" + root + "\t" + parts["syn"],
		"replace\t" + root + "\t" + parts["sus"],
		"remove\t" + strings.Join(some[len(some)/2:], ","),
		"compact",
	}

	// Each change run whole, for the state after it and its duration.
	after := map[string]map[string][32]byte{}
	took := map[string]time.Duration{}
	for _, op := range ops {
		dir := filepath.Join(t.TempDir(), "idx")
		copyDir(t, base, dir)
		start := time.Now()
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), crashEnv+"="+dir+"\t"+op, "TMPDIR="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", op, err, out)
		}
		took[op] = time.Since(start)
		after[op] = state(t, dir)
	}
	before := state(t, base)
	for _, op := range ops {
		if sameState(before, after[op]) {
			t.Fatalf("%s changes nothing: the test would prove nothing", strings.Fields(op)[0])
		}
	}

	r := rand.New(rand.NewPCG(11, 12))
	outcomes := map[string]int{}
	// Every other kill comes near the moment a change is published, as
	// last seen: later after a kill that found the index as before, earlier
	// after one that found it as after.
	// The step doubles while the outcome repeats.
	edge, step := map[string]time.Duration{}, map[string]time.Duration{}
	last := map[string]bool{}
	for _, op := range ops {
		edge[op], step[op] = took[op]*8/10, took[op]/10
	}
	// Each change is killed 12 times, and more (up to 40) until it has
	// been killed both before and after it was published: a loaded
	// machine runs slower than the runs timed above.
	done := func(op string) bool {
		name := strings.Fields(op)[0]
		n := outcomes[name+": before"] + outcomes[name+": after"]
		return n >= 40 || n >= 12 && outcomes[name+": before"] > 0 && outcomes[name+": after"] > 0
	}
	kills := 0
	tries := map[string]int{}
	for i := 0; ; i++ {
		op := ops[i%len(ops)]
		if done(op) {
			if !slices.ContainsFunc(ops, func(op string) bool { return !done(op) }) {
				break
			}
			continue
		}
		kills++
		name := strings.Fields(op)[0]
		dir := filepath.Join(t.TempDir(), "idx")
		copyDir(t, base, dir)
		cmd := exec.Command(exe)
		// Its temporary files die with it, in the test's folder: in
		// TMPDIR, every run of the test left some behind.
		cmd.Env = append(os.Environ(), crashEnv+"="+dir+"\t"+op, "TMPDIR="+t.TempDir())
		var childErr strings.Builder
		cmd.Stderr = &childErr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere in the run, or near its edge, where files are written.
		wait := time.Duration(r.Int64N(int64(took[op] * 5 / 4)))
		// Alternate by change, not by i: the changes take turns, and with
		// an even number of them i's parity is the change's.
		tries[op]++
		nearEdge := tries[op]%2 == 0
		if nearEdge {
			wait = edge[op] + time.Duration(r.Int64N(int64(took[op]/5))) - took[op]/10
		}
		time.Sleep(max(wait, 0))
		cmd.Process.Signal(syscall.SIGKILL)
		if cmd.Wait(); childErr.Len() > 0 {
			t.Fatalf("kill %d during %s: the child failed: %s", i, name, childErr.String())
		}

		if debris(t, dir) {
			outcomes["killed while writing files"]++
		}
		got := state(t, dir)
		move := func(wasAfter bool) {
			if !nearEdge {
				return
			}
			if last[op] == wasAfter {
				step[op] *= 2
			} else {
				step[op] = took[op] / 10
			}
			last[op] = wasAfter
			if wasAfter {
				edge[op] = max(edge[op]-step[op], 0)
			} else {
				edge[op] += step[op]
			}
		}
		switch {
		case sameState(got, after[op]):
			outcomes[name+": after"]++
			move(true)
		case sameState(got, before):
			outcomes[name+": before"]++
			move(false)
		default:
			t.Fatalf("kill %d during %s: the index holds %d documents, neither the %d before nor the %d after", i, name, len(got), len(before), len(after[op]))
		}
		if st, err := Verify(ctx, dir, func(err error) { t.Errorf("kill %d during %s: %v", i, name, err) }); err != nil || st.Problems > 0 {
			t.Fatalf("kill %d during %s: Verify = %+v, %v", i, name, st, err)
		}
		checked, err := checkTextJoins(dir)
		if err != nil {
			t.Fatalf("kill %d during %s: the grown joins: %v", i, name, err)
		}
		if checked {
			outcomes["grown joins checked"]++
		}
		// The next writer takes the lock, and removes the debris.
		w, err := OpenWriter(dir)
		if err != nil {
			t.Fatalf("kill %d during %s: next writer: %v", i, name, err)
		}
		if _, err := w.Remove(all[:1]); err != nil {
			t.Fatalf("kill %d during %s: next change: %v", i, name, err)
		}
		w.Close()
		names, _ := os.ReadDir(dir)
		for _, n := range names {
			if strings.HasSuffix(n.Name(), ".tmp") || strings.HasPrefix(n.Name(), ".") {
				t.Errorf("kill %d during %s: %s left behind", i, name, n.Name())
			}
		}
	}
	var keys []string
	for k := range outcomes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	t.Logf("%d kills: %v", kills, func() []string {
		var s []string
		for _, k := range keys {
			s = append(s, fmt.Sprintf("%s %d", k, outcomes[k]))
		}
		return s
	}())
	if outcomes["killed while writing files"] == 0 {
		t.Errorf("no kill left a file half written: the test proves less than it says")
	}
	if outcomes["grown joins checked"] == 0 {
		t.Errorf("no kill left grown joins that hold: the test checks none")
	}
	for _, op := range ops {
		name := strings.Fields(op)[0]
		if outcomes[name+": before"] == 0 || outcomes[name+": after"] == 0 {
			t.Errorf("%s: killed %d times before it was published and %d after; want both", name, outcomes[name+": before"], outcomes[name+": after"])
		}
	}
}
