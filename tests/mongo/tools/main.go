// Command mongodump / mongorestore: a STAND-IN for MongoDB's Database Tools (github.com/mongodb/mongo-tools),
// which the Go module proxy refuses to serve (403 for every version), so the test platform cannot build the real ones.
// One binary; it acts as mongorestore when called by that name (a symlink), as mongodump otherwise.
//
// What it does, over the MongoDB wire protocol (go.mongodb.org/mongo-driver):
//   - mongodump --archive[=FILE]: writes a mongodump archive (the format of mongo-tools' common/archive/spec.md:
//     magic 0x8199e26d little-endian, header, one metadata document per collection, terminator, then per
//     collection a segment of its documents and an EOF block carrying the CRC-64/ECMA of those documents) of
//     every collection of every database but admin, local and config (or of --db / --collection), to FILE or
//     stdout. System collections (system.*) and users are not dumped.
//   - mongorestore --archive[=FILE] [--drop]: reads such an archive from FILE or stdin, drops each collection
//     first with --drop, creates it with its options, inserts its documents, checks the CRC, then creates its
//     indexes (but with --noIndexRestore).
//
// Connection flags as the real tools spell them: --uri (or a mongodb:// argument), --host/-h, --port,
// --username/-u, --password/-p, --authenticationDatabase, --authenticationMechanism, --quiet, -v. Directory dumps
// (--out, --dir), --gzip, --oplog and the other options are refused with an error naming them.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

const (
	toolVersion   = "100.0.0-paas-stand-in"
	magic         = 0x8199e26d
	terminator    = 0xffffffff
	formatVersion = "0.1"
	batchBytes    = 8 << 20
	batchDocs     = 1000
)

var crcTable = crc64.MakeTable(crc64.ECMA)

type opts struct {
	tool                              string
	uri, host, port                   string
	user, password, authDB, mechanism string
	db, collection                    string
	archive                           string // "-" = stdin/stdout
	hasArchive, quiet, drop, noIndex  bool
}

func main() {
	o := opts{tool: "mongodump"}
	if filepath.Base(os.Args[0]) == "mongorestore" {
		o.tool = "mongorestore"
	}
	if err := o.parse(os.Args[1:]); err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var err error
	if o.tool == "mongorestore" {
		err = o.restore(ctx)
	} else {
		err = o.dump(ctx)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "%s\tFailed: %v\n", time.Now().Format("2006-01-02T15:04:05.000-0700"), err)
	os.Exit(1)
}

func (o *opts) logf(format string, a ...any) {
	if !o.quiet {
		fmt.Fprintf(os.Stderr, "%s\t%s\n", time.Now().Format("2006-01-02T15:04:05.000-0700"), fmt.Sprintf(format, a...))
	}
}

func (o *opts) parse(args []string) error {
	valued := map[string]*string{
		"uri": &o.uri, "host": &o.host, "h": &o.host, "port": &o.port,
		"username": &o.user, "u": &o.user, "password": &o.password, "p": &o.password,
		"authenticationDatabase": &o.authDB, "authenticationMechanism": &o.mechanism,
		"db": &o.db, "d": &o.db, "collection": &o.collection, "c": &o.collection,
	}
	var ignoredValue string
	for _, k := range []string{"numParallelCollections", "j", "numInsertionWorkersPerCollection", "readPreference"} {
		valued[k] = &ignoredValue
	}
	flags := map[string]*bool{"quiet": &o.quiet, "noIndexRestore": &o.noIndex}
	if o.tool == "mongorestore" {
		flags["drop"] = &o.drop
	}
	ignored := map[string]bool{"v": true, "verbose": true, "stopOnError": true, "preserveUUID": true, "vv": true, "vvv": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if strings.HasPrefix(a, "mongodb://") || strings.HasPrefix(a, "mongodb+srv://") {
				o.uri = a
				continue
			}
			return fmt.Errorf("unexpected argument %q (this stand-in only reads and writes archives: --archive)", a)
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "help" {
			fmt.Printf("Usage: %s [--uri URI | --host H --port P] [-u USER -p PASSWORD --authenticationDatabase DB] --archive[=FILE]%s [--quiet]\n"+
				"A stand-in for MongoDB's %s (paas test platform, tests/mongo/tools)\n", o.tool, map[bool]string{true: " [--drop]"}[o.tool == "mongorestore"], o.tool)
			os.Exit(0)
		}
		if name == "version" {
			fmt.Printf("%s version: %s\n", o.tool, toolVersion)
			os.Exit(0)
		}
		if name == "archive" {
			o.hasArchive, o.archive = true, "-"
			if hasValue && value != "" {
				o.archive = value
			}
			continue
		}
		if p, ok := valued[name]; ok {
			if !hasValue {
				// short options also come glued: -uapp
				if len(name) > 1 && len(a) > 2 && a[1] != '-' {
					return fmt.Errorf("unknown option %s", a)
				}
				if i+1 >= len(args) {
					return fmt.Errorf("option %s needs a value", a)
				}
				i++
				value = args[i]
			}
			*p = value
			continue
		}
		if len(a) > 2 && a[1] != '-' {
			if p, ok := valued[a[1:2]]; ok { // -uapp, -pSECRET
				*p = a[2:]
				continue
			}
		}
		if p, ok := flags[name]; ok && !hasValue {
			*p = true
			continue
		}
		if ignored[name] {
			continue
		}
		return fmt.Errorf("option %s is not supported by this stand-in of %s", a, o.tool)
	}
	if !o.hasArchive {
		return errors.New("this stand-in only reads and writes archives: pass --archive[=FILE]")
	}
	if o.collection != "" && o.db == "" {
		return errors.New("--collection needs --db")
	}
	return nil
}

func (o *opts) connect(ctx context.Context) (*mongo.Client, error) {
	uri := o.uri
	if uri == "" {
		host := o.host
		if host == "" {
			host = "localhost"
		}
		if i := strings.Index(host, "/"); i >= 0 { // replicaSet/host1,host2
			host = host[i+1:]
		}
		if o.port != "" && !strings.Contains(host, ":") {
			host += ":" + o.port
		}
		uri = "mongodb://" + host + "/"
	}
	co := options.Client().ApplyURI(uri).SetAppName(o.tool).SetServerSelectionTimeout(30 * time.Second)
	if o.user != "" {
		cred := options.Credential{Username: o.user, Password: o.password, PasswordSet: true,
			AuthMechanism: o.mechanism, AuthSource: o.authDB}
		if cred.AuthSource == "" {
			cred.AuthSource = "admin"
			if o.db != "" {
				cred.AuthSource = o.db
			}
		}
		co.SetAuth(cred)
	}
	client, err := mongo.Connect(ctx, co)
	if err != nil {
		return nil, err
	}
	if err = client.Ping(ctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("can't create session: %w", err)
	}
	return client, nil
}

type namespace struct {
	db, coll string
	options  bson.Raw
	uuid     string
	indexes  []bson.Raw
	size     int64
}

func (o *opts) dump(ctx context.Context) error {
	client, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.Background())

	serverVersion := "0.0.0"
	var info struct {
		Version string `bson:"version"`
	}
	if client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info) == nil && info.Version != "" {
		serverVersion = info.Version
	}

	dbs := []string{o.db}
	if o.db == "" {
		names, err := client.ListDatabaseNames(ctx, bson.D{})
		if err != nil {
			return err
		}
		dbs = dbs[:0]
		for _, n := range names {
			if n != "admin" && n != "local" && n != "config" {
				dbs = append(dbs, n)
			}
		}
	}
	var nss []*namespace
	for _, d := range dbs {
		filter := bson.D{}
		if o.collection != "" {
			filter = bson.D{{Key: "name", Value: o.collection}}
		}
		cur, err := client.Database(d).ListCollections(ctx, filter)
		if err != nil {
			return err
		}
		for cur.Next(ctx) {
			var spec struct {
				Name    string   `bson:"name"`
				Type    string   `bson:"type"`
				Options bson.Raw `bson:"options"`
				Info    struct {
					UUID primitive.Binary `bson:"uuid"`
				} `bson:"info"`
			}
			if err := cur.Decode(&spec); err != nil {
				return err
			}
			if strings.HasPrefix(spec.Name, "system.") || (spec.Type != "" && spec.Type != "collection") {
				continue
			}
			ns := &namespace{db: d, coll: spec.Name, options: spec.Options, uuid: fmt.Sprintf("%x", spec.Info.UUID.Data)}
			icur, err := client.Database(d).Collection(spec.Name).Indexes().List(ctx)
			if err != nil {
				return err
			}
			for icur.Next(ctx) {
				ns.indexes = append(ns.indexes, append(bson.Raw(nil), icur.Current...))
			}
			if err := icur.Err(); err != nil {
				return err
			}
			nss = append(nss, ns)
		}
		if err := cur.Err(); err != nil {
			return err
		}
	}

	// The documents are read before the prelude is written (the prelude carries each collection's size);
	// a dump of the test platform's data fits in memory.
	data := make([][]bson.Raw, len(nss))
	for i, ns := range nss {
		cur, err := client.Database(ns.db).Collection(ns.coll).Find(ctx, bson.D{})
		if err != nil {
			return err
		}
		for cur.Next(ctx) {
			data[i] = append(data[i], append(bson.Raw(nil), cur.Current...))
			ns.size += int64(len(cur.Current))
		}
		if err := cur.Err(); err != nil {
			return err
		}
	}

	var out io.Writer = os.Stdout
	if o.archive != "-" {
		f, err := os.Create(o.archive)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	w := bufio.NewWriterSize(out, 1<<20)
	put := func(v any) error {
		b, err := bson.Marshal(v)
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
	term := binary.LittleEndian.AppendUint32(nil, terminator)
	_, _ = w.Write(binary.LittleEndian.AppendUint32(nil, magic))
	if err := put(bson.D{{Key: "concurrent_collections", Value: int32(1)}, {Key: "version", Value: formatVersion},
		{Key: "server_version", Value: serverVersion}, {Key: "tool_version", Value: toolVersion}}); err != nil {
		return err
	}
	for _, ns := range nss {
		indexes := bson.A{}
		for _, ix := range ns.indexes {
			indexes = append(indexes, ix)
		}
		opt := ns.options
		if opt == nil {
			opt, _ = bson.Marshal(bson.D{})
		}
		meta, err := bson.MarshalExtJSON(bson.D{{Key: "indexes", Value: indexes}, {Key: "uuid", Value: ns.uuid},
			{Key: "collectionName", Value: ns.coll}, {Key: "type", Value: "collection"}, {Key: "options", Value: opt}}, true, false)
		if err != nil {
			return err
		}
		var size any = ns.size
		if ns.size < 1<<31 {
			size = int32(ns.size)
		}
		if err := put(bson.D{{Key: "db", Value: ns.db}, {Key: "collection", Value: ns.coll},
			{Key: "metadata", Value: string(meta)}, {Key: "size", Value: size}, {Key: "type", Value: "collection"}}); err != nil {
			return err
		}
	}
	_, _ = w.Write(term)
	for i, ns := range nss {
		crc := crc64.New(crcTable)
		if len(data[i]) > 0 {
			if err := put(bson.D{{Key: "db", Value: ns.db}, {Key: "collection", Value: ns.coll},
				{Key: "EOF", Value: false}, {Key: "CRC", Value: int64(0)}}); err != nil {
				return err
			}
			for _, doc := range data[i] {
				_, _ = w.Write(doc)
				_, _ = crc.Write(doc)
			}
			_, _ = w.Write(term)
		}
		if err := put(bson.D{{Key: "db", Value: ns.db}, {Key: "collection", Value: ns.coll},
			{Key: "EOF", Value: true}, {Key: "CRC", Value: int64(crc.Sum64())}}); err != nil {
			return err
		}
		_, _ = w.Write(term)
		o.logf("done dumping %s.%s (%d documents)", ns.db, ns.coll, len(data[i]))
	}
	return w.Flush()
}

// next reads one BSON document, or returns nil at a terminator.
func next(r io.Reader) (bson.Raw, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(head[:])
	if n == terminator {
		return nil, nil
	}
	if n < 5 || n > 48<<20 {
		return nil, fmt.Errorf("corrupted archive: a document of %d bytes", n)
	}
	doc := make([]byte, n)
	copy(doc, head[:])
	if _, err := io.ReadFull(r, doc[4:]); err != nil {
		return nil, fmt.Errorf("corrupted archive: %w", err)
	}
	if err := bson.Raw(doc).Validate(); err != nil {
		return nil, fmt.Errorf("corrupted archive: %w", err)
	}
	return doc, nil
}

type nsHeader struct {
	DB   string `bson:"db"`
	Coll string `bson:"collection"`
	EOF  bool   `bson:"EOF"`
	CRC  int64  `bson:"CRC"`
}

func (o *opts) restore(ctx context.Context) error {
	var in io.Reader = os.Stdin
	if o.archive != "-" {
		f, err := os.Open(o.archive)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	r := bufio.NewReaderSize(in, 1<<20)
	var m [4]byte
	if _, err := io.ReadFull(r, m[:]); err != nil || binary.LittleEndian.Uint32(m[:]) != magic {
		return errors.New("stream or file does not appear to be a mongodump archive")
	}
	header, err := next(r)
	if err != nil || header == nil {
		return fmt.Errorf("corrupted archive: no header (%v)", err)
	}
	type meta struct {
		DB       string `bson:"db"`
		Coll     string `bson:"collection"`
		Metadata string `bson:"metadata"`
	}
	var metas []meta
	for {
		doc, err := next(r)
		if err != nil {
			return err
		}
		if doc == nil {
			break
		}
		var cm meta
		if err := bson.Unmarshal(doc, &cm); err != nil {
			return err
		}
		metas = append(metas, cm)
	}
	selected := func(db, coll string) bool {
		return (o.db == "" || o.db == db) && (o.collection == "" || o.collection == coll)
	}

	client, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.Background())

	type collMeta struct {
		Indexes []bson.Raw `bson:"indexes"`
		Options bson.Raw   `bson:"options"`
	}
	parsed := map[string]collMeta{}
	for _, cm := range metas {
		if !selected(cm.DB, cm.Coll) {
			continue
		}
		var md collMeta
		if cm.Metadata != "" {
			if err := bson.UnmarshalExtJSON([]byte(cm.Metadata), false, &md); err != nil {
				return fmt.Errorf("metadata of %s.%s: %w", cm.DB, cm.Coll, err)
			}
		}
		parsed[cm.DB+"."+cm.Coll] = md
		db := client.Database(cm.DB)
		if o.drop {
			o.logf("dropping collection %s.%s before restoring", cm.DB, cm.Coll)
			if err := db.Collection(cm.Coll).Drop(ctx); err != nil {
				return err
			}
		}
		create := bson.D{{Key: "create", Value: cm.Coll}}
		if elems, err := md.Options.Elements(); err == nil {
			for _, e := range elems {
				create = append(create, bson.E{Key: e.Key(), Value: e.Value()})
			}
		}
		if err := db.RunCommand(ctx, create).Err(); err != nil {
			var ce mongo.CommandError
			if !errors.As(err, &ce) || ce.Code != 48 { // NamespaceExists
				return fmt.Errorf("creating %s.%s: %w", cm.DB, cm.Coll, err)
			}
		}
	}

	total, failed := 0, 0
	crcs := map[string]hash.Hash64{} // one per namespace, over all its segments
	sum := func(key string) uint64 {
		if c, ok := crcs[key]; ok {
			return c.Sum64()
		}
		return 0
	}
	for {
		doc, err := next(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if doc == nil {
			return errors.New("corrupted archive: a terminator where a namespace header belongs")
		}
		var h nsHeader
		if err := bson.Unmarshal(doc, &h); err != nil {
			return err
		}
		key := h.DB + "." + h.Coll
		if h.EOF {
			if t, err := next(r); err != nil || t != nil {
				return fmt.Errorf("corrupted archive: no terminator after the end of %s", key)
			}
			if uint64(h.CRC) != sum(key) {
				return fmt.Errorf("%s: CRC mismatch (archive %x, read %x)", key, uint64(h.CRC), sum(key))
			}
			continue
		}
		crc, ok := crcs[key]
		if !ok {
			crc = crc64.New(crcTable)
			crcs[key] = crc
		}
		var batch []any
		bytes := 0
		coll := client.Database(h.DB).Collection(h.Coll)
		flush := func() error {
			if len(batch) == 0 || !selected(h.DB, h.Coll) {
				batch, bytes = batch[:0], 0
				return nil
			}
			// as mongorestore does without --stopOnError: documents whose _id (or unique key) is already
			// there are counted as failed, and the restore goes on
			_, err := coll.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
			var bwe mongo.BulkWriteException
			switch {
			case err == nil:
				total += len(batch)
			case errors.As(err, &bwe) && bwe.WriteConcernError == nil && onlyDuplicates(bwe):
				failed += len(bwe.WriteErrors)
				total += len(batch) - len(bwe.WriteErrors)
				o.logf("continuing through error: %v", bwe.WriteErrors[0])
			default:
				return fmt.Errorf("restoring %s: %w", key, err)
			}
			batch, bytes = batch[:0], 0
			return nil
		}
		for {
			d, err := next(r)
			if err != nil {
				return fmt.Errorf("corrupted archive in %s: %w", key, err)
			}
			if d == nil {
				break
			}
			_, _ = crc.Write(d)
			batch = append(batch, d)
			bytes += len(d)
			if len(batch) >= batchDocs || bytes >= batchBytes {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}

	if !o.noIndex {
		for _, cm := range metas {
			md, ok := parsed[cm.DB+"."+cm.Coll]
			if !ok {
				continue
			}
			var specs bson.A
			for _, ix := range md.Indexes {
				var spec bson.D
				if err := bson.Unmarshal(ix, &spec); err != nil {
					return err
				}
				name, _ := ix.Lookup("name").StringValueOK()
				if name == "_id_" {
					continue
				}
				kept := spec[:0]
				for _, e := range spec {
					if e.Key != "v" && e.Key != "ns" {
						kept = append(kept, e)
					}
				}
				specs = append(specs, kept)
			}
			if len(specs) == 0 {
				continue
			}
			o.logf("restoring indexes for collection %s.%s from metadata", cm.DB, cm.Coll)
			if err := client.Database(cm.DB).RunCommand(ctx,
				bson.D{{Key: "createIndexes", Value: cm.Coll}, {Key: "indexes", Value: specs}}).Err(); err != nil {
				return fmt.Errorf("indexes of %s.%s: %w", cm.DB, cm.Coll, err)
			}
		}
	}
	o.logf("%d document(s) restored successfully. %d document(s) failed to restore.", total, failed)
	return nil
}

func onlyDuplicates(e mongo.BulkWriteException) bool {
	for _, we := range e.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return len(e.WriteErrors) > 0
}
