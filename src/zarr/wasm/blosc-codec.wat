;; The hot loops of Blosc-LZ4 frames in WebAssembly with SIMD: LZ4 block decoding and encoding and
;; Blosc's byte shuffle and unshuffle. tessera/zarr copies one Blosc block (or its streams) into
;; this module's memory, works on it here and copies the result out (src/zarr/wasm/blosc-codec.ts).
;;
;; $lz4_decode is as strict as src/zarr/lz4-block.ts, check for check and in the same order: it
;; never reads input past srcLen, never leaves output past dstLen, refuses an offset of 0 or one
;; before the start, and returns the bytes written (the caller demands the exact size) or a
;; negative status the caller turns into the same Lz4FormatError:
;;   -1 literal length runs past the end of the input   -2 literals run past the end of the input
;;   -3 literals run past the expected size             -4 match offset runs past the end of the input
;;   -5 match offset points before the output (the offset is kept for error_offset)
;;   -6 match length runs past the end of the input     -7 match runs past the expected size
;; Copies move 16 (or 8) bytes at a time and may write up to 32 bytes past the logical end of a
;; run, and read up to 32 bytes past the input: the caller leaves that much slack after every
;; region. What is written past a run is overwritten by the next run before anything reads it
;; (matches read only output already produced), and past the stream it lands in the slack.
;;
;; Byte shuffle with typesize t and n = length / t elements moves byte j of element i to j·n + i
;; (the trailing length mod t bytes are copied). For t = 2, 4, 8 sixteen elements go at a time:
;; shuffling is log2(t) rounds of splitting even and odd bytes, unshuffling log2(t) rounds of
;; interleaving; other typesizes, and the last elements, run a byte loop.
;;
;; Regenerate the TypeScript module holding the binary with
;;   npx tsc -p tsconfig.json && node dist/src/zarr/wasm/generate.js
(module
  (memory (export "memory") 1)
  (global $badOffset (mut i32) (i32.const 0))

  (func (export "error_offset") (result i32) (global.get $badOffset))

  ;; Adds an extra length byte to a length, saturating at 2^31 − 1: larger than any input left
  ;; (so the same bound check fails), and it cannot wrap however many 255s a corrupt stream holds.
  (func $addLength (param $length i32) (param $more i32) (result i32)
    (local.set $length (i32.add (local.get $length) (local.get $more)))
    (select (i32.const 0x7fffffff) (local.get $length) (i32.gt_u (local.get $length) (i32.const 0x7fffffff))))

  (func (export "lz4_decode") (param $src i32) (param $srcLen i32) (param $dst i32) (param $dstLen i32) (result i32)
    (local $ip i32) (local $iend i32) (local $op i32) (local $oend i32) (local $token i32)
    (local $length i32) (local $more i32) (local $offset i32) (local $from i32) (local $i i32)
    (local.set $ip (local.get $src))
    (local.set $iend (i32.add (local.get $src) (local.get $srcLen)))
    (local.set $op (local.get $dst))
    (local.set $oend (i32.add (local.get $dst) (local.get $dstLen)))
    (block $done
      (loop $sequence
        (br_if $done (i32.ge_u (local.get $ip) (local.get $iend)))
        (local.set $token (i32.load8_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        ;; literals
        (local.set $length (i32.shr_u (local.get $token) (i32.const 4)))
        (if (i32.eq (local.get $length) (i32.const 15))
          (then
            (loop $more
              (if (i32.ge_u (local.get $ip) (local.get $iend)) (then (return (i32.const -1))))
              (local.set $more (i32.load8_u (local.get $ip)))
              (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
              (local.set $length (call $addLength (local.get $length) (local.get $more)))
              (br_if $more (i32.eq (local.get $more) (i32.const 255))))))
        (if (i32.gt_u (local.get $length) (i32.sub (local.get $iend) (local.get $ip))) (then (return (i32.const -2))))
        (if (i32.gt_u (local.get $length) (i32.sub (local.get $oend) (local.get $op))) (then (return (i32.const -3))))
        (if (i32.le_u (local.get $length) (i32.const 32))
          (then
            (v128.store (local.get $op) (v128.load (local.get $ip)))
            (v128.store offset=16 (local.get $op) (v128.load offset=16 (local.get $ip))))
          (else
            (local.set $i (i32.const 32))
            (v128.store (local.get $op) (v128.load (local.get $ip)))
            (v128.store offset=16 (local.get $op) (v128.load offset=16 (local.get $ip)))
            (loop $literals16
              (v128.store (i32.add (local.get $op) (local.get $i)) (v128.load (i32.add (local.get $ip) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br_if $literals16 (i32.lt_u (local.get $i) (local.get $length))))))
        (local.set $ip (i32.add (local.get $ip) (local.get $length)))
        (local.set $op (i32.add (local.get $op) (local.get $length)))
        ;; the last sequence carries literals only
        (br_if $done (i32.eq (local.get $ip) (local.get $iend)))
        ;; match
        (if (i32.lt_u (i32.sub (local.get $iend) (local.get $ip)) (i32.const 2)) (then (return (i32.const -4))))
        (local.set $offset (i32.load16_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 2)))
        (if (i32.or (i32.eqz (local.get $offset)) (i32.gt_u (local.get $offset) (i32.sub (local.get $op) (local.get $dst))))
          (then
            (global.set $badOffset (local.get $offset))
            (return (i32.const -5))))
        (local.set $length (i32.add (i32.and (local.get $token) (i32.const 15)) (i32.const 4)))
        (if (i32.eq (i32.and (local.get $token) (i32.const 15)) (i32.const 15))
          (then
            (loop $more
              (if (i32.ge_u (local.get $ip) (local.get $iend)) (then (return (i32.const -6))))
              (local.set $more (i32.load8_u (local.get $ip)))
              (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
              (local.set $length (call $addLength (local.get $length) (local.get $more)))
              (br_if $more (i32.eq (local.get $more) (i32.const 255))))))
        (if (i32.gt_u (local.get $length) (i32.sub (local.get $oend) (local.get $op))) (then (return (i32.const -7))))
        (local.set $from (i32.sub (local.get $op) (local.get $offset)))
        (local.set $i (i32.const 0))
        (if (i32.ge_u (local.get $offset) (i32.const 16))
          (then
            ;; 16 bytes at a time: each load ends at or before the store's start, so it reads only
            ;; output already final (an overlapping match repeats as LZ4 means it)
            (loop $copy16
              (v128.store (i32.add (local.get $op) (local.get $i)) (v128.load (i32.add (local.get $from) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br_if $copy16 (i32.lt_u (local.get $i) (local.get $length)))))
          (else
            (if (i32.ge_u (local.get $offset) (i32.const 8))
              (then
                (loop $copy8
                  (i64.store (i32.add (local.get $op) (local.get $i)) (i64.load (i32.add (local.get $from) (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 8)))
                  (br_if $copy8 (i32.lt_u (local.get $i) (local.get $length)))))
              (else
                ;; a period below 8: the first 16 bytes (or fewer) byte by byte, forwards; then 16
                ;; at a time from $period bytes back, the smallest multiple of the offset from 16
                ;; on (the pattern repeats there, and that far back the bytes are final)
                (loop $copy1
                  (i32.store8 (i32.add (local.get $op) (local.get $i)) (i32.load8_u (i32.add (local.get $from) (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $copy1 (i32.and (i32.lt_u (local.get $i) (local.get $length)) (i32.lt_u (local.get $i) (i32.const 16)))))
                (if (i32.lt_u (local.get $i) (local.get $length))
                  (then
                    (local.set $from (i32.sub (local.get $op)
                      (i32.mul (local.get $offset) (i32.div_u (i32.add (local.get $offset) (i32.const 15)) (local.get $offset)))))
                    (loop $copyPattern
                      (v128.store (i32.add (local.get $op) (local.get $i)) (v128.load (i32.add (local.get $from) (local.get $i))))
                      (local.set $i (i32.add (local.get $i) (i32.const 16)))
                      (br_if $copyPattern (i32.lt_u (local.get $i) (local.get $length))))))))))
        (local.set $op (i32.add (local.get $op) (local.get $length)))
        (br $sequence)))
    (i32.sub (local.get $op) (local.get $dst)))

  ;; An LZ4 length continuation (after a nibble of 15) at $op; returns the next position.
  (func $writeLength (param $op i32) (param $rest i32) (result i32)
    (block $done
      (loop $bytes
        (br_if $done (i32.lt_u (local.get $rest) (i32.const 255)))
        (i32.store8 (local.get $op) (i32.const 255))
        (local.set $op (i32.add (local.get $op) (i32.const 1)))
        (local.set $rest (i32.sub (local.get $rest) (i32.const 255)))
        (br $bytes)))
    (i32.store8 (local.get $op) (local.get $rest))
    (i32.add (local.get $op) (i32.const 1)))

  ;; `length` literals from $from to $op, 16 bytes at a time (up to 15 past the end: dst's slack).
  (func $copyLiterals (param $op i32) (param $from i32) (param $length i32) (result i32)
    (local $i i32)
    (block $done
      (loop $copy16
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (v128.store (i32.add (local.get $op) (local.get $i)) (v128.load (i32.add (local.get $from) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $copy16)))
    (i32.add (local.get $op) (local.get $length)))

  ;; The last sequence: literals [anchor, end) of src, written at op; returns the next position.
  (func $lastLiterals (param $src i32) (param $op i32) (param $anchor i32) (param $end i32) (result i32)
    (local $length i32)
    (local.set $length (i32.sub (local.get $end) (local.get $anchor)))
    (if (i32.ge_u (local.get $length) (i32.const 15))
      (then
        (i32.store8 (local.get $op) (i32.const 0xf0))
        (local.set $op (call $writeLength (i32.add (local.get $op) (i32.const 1)) (i32.sub (local.get $length) (i32.const 15)))))
      (else
        (i32.store8 (local.get $op) (i32.shl (local.get $length) (i32.const 4)))
        (local.set $op (i32.add (local.get $op) (i32.const 1)))))
    (call $copyLiterals (local.get $op) (i32.add (local.get $src) (local.get $anchor)) (local.get $length)))

  ;; LZ4 block encoding, byte for byte what src/zarr/lz4-encode.ts writes (LZ4's fast mode with c-blosc's
  ;; acceleration: the same hash, table, search step, match extension and block end rules; see there).
  ;; The hash table of 4096 int32 positions sits at $table; dst has lz4Bound(length) bytes and 32 of
  ;; slack (literal copies move 16 bytes at a time). Returns the block's length. LZ4's hash of a 4-byte
  ;; sequence, (sequence × 2654435761) >> 20, is written out where it is used (V8 does not inline calls).
  (func (export "lz4_encode") (param $src i32) (param $length i32) (param $dst i32) (param $accel i32) (param $table i32) (result i32)
    (local $op i32) (local $anchor i32) (local $ip i32) (local $startLimit i32) (local $extendLimit i32)
    (local $forwardSequence i32) (local $forward i32) (local $step i32) (local $probes i32) (local $sequence i32)
    (local $hashAt i32) (local $match i32) (local $token i32) (local $literals i32) (local $offset i32)
    (local $end i32) (local $from i32) (local $extra i32) (local $next i32)
    ;; positions are relative to src, as in the TypeScript; $op is an address in dst
    (local.set $op (local.get $dst))
    (if (i32.lt_u (local.get $length) (i32.const 13))
      (then (return (i32.sub (call $lastLiterals (local.get $src) (local.get $op) (i32.const 0) (local.get $length)) (local.get $dst)))))
    (local.set $startLimit (i32.sub (local.get $length) (i32.const 12)))
    (local.set $extendLimit (i32.sub (local.get $length) (i32.const 5)))
    (memory.fill (local.get $table) (i32.const 0xff) (i32.const 16384))
    (i32.store (i32.add (local.get $table) (i32.shl (i32.shr_u (i32.mul (i32.load (local.get $src)) (i32.const 0x9E3779B1)) (i32.const 20)) (i32.const 2))) (i32.const 0))
    (local.set $ip (i32.const 1))
    (local.set $forwardSequence (i32.load (i32.add (local.get $src) (local.get $ip))))
    (block $outer
      (loop $search
        ;; find a match: probe forward, the step growing the longer nothing is found
        (local.set $forward (local.get $ip))
        (local.set $step (i32.const 1))
        (local.set $probes (i32.shl (local.get $accel) (i32.const 6)))
        (loop $probe
          (local.set $sequence (local.get $forwardSequence))
          (local.set $hashAt (i32.add (local.get $table) (i32.shl (i32.shr_u (i32.mul (local.get $sequence) (i32.const 0x9E3779B1)) (i32.const 20)) (i32.const 2))))
          (local.set $ip (local.get $forward))
          (local.set $forward (i32.add (local.get $forward) (local.get $step)))
          (local.set $step (i32.shr_s (local.get $probes) (i32.const 6)))
          (local.set $probes (i32.add (local.get $probes) (i32.const 1)))
          (br_if $outer (i32.gt_s (local.get $forward) (local.get $startLimit)))
          (local.set $match (i32.load (local.get $hashAt)))
          (local.set $forwardSequence (i32.load (i32.add (local.get $src) (local.get $forward))))
          (i32.store (local.get $hashAt) (local.get $ip))
          (br_if $probe (i32.lt_s (local.get $match) (i32.const 0)))
          (br_if $probe (i32.gt_s (i32.sub (local.get $ip) (local.get $match)) (i32.const 65535)))
          (br_if $probe (i32.ne (i32.load (i32.add (local.get $src) (local.get $match))) (local.get $sequence))))
        ;; extend backwards over equal bytes
        (block $backDone
          (loop $back
            (br_if $backDone (i32.le_s (local.get $ip) (local.get $anchor)))
            (br_if $backDone (i32.le_s (local.get $match) (i32.const 0)))
            (br_if $backDone (i32.ne
              (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $ip) (i32.const 1))))
              (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $match) (i32.const 1))))))
            (local.set $ip (i32.sub (local.get $ip) (i32.const 1)))
            (local.set $match (i32.sub (local.get $match) (i32.const 1)))
            (br $back)))
        ;; literals, then one or more matches while the next position matches at once
        (local.set $token (local.get $op))
        (local.set $op (i32.add (local.get $op) (i32.const 1)))
        (local.set $literals (i32.sub (local.get $ip) (local.get $anchor)))
        (if (i32.ge_u (local.get $literals) (i32.const 15))
          (then
            (i32.store8 (local.get $token) (i32.const 0xf0))
            (local.set $op (call $writeLength (local.get $op) (i32.sub (local.get $literals) (i32.const 15)))))
          (else (i32.store8 (local.get $token) (i32.shl (local.get $literals) (i32.const 4)))))
        ;; the literals, 16 bytes at a time ($copyLiterals written out: V8 does not inline calls)
        (local.set $from (i32.add (local.get $src) (local.get $anchor)))
        (local.set $end (i32.const 0))
        (block $literalsDone
          (loop $literals16
            (br_if $literalsDone (i32.ge_u (local.get $end) (local.get $literals)))
            (v128.store (i32.add (local.get $op) (local.get $end)) (v128.load (i32.add (local.get $from) (local.get $end))))
            (local.set $end (i32.add (local.get $end) (i32.const 16)))
            (br $literals16)))
        (local.set $op (i32.add (local.get $op) (local.get $literals)))
        (loop $matches
          (local.set $offset (i32.sub (local.get $ip) (local.get $match)))
          (i32.store16 (local.get $op) (local.get $offset))
          (local.set $op (i32.add (local.get $op) (i32.const 2)))
          (local.set $end (i32.add (local.get $ip) (i32.const 4)))
          (local.set $from (i32.add (local.get $match) (i32.const 4)))
          (block $wordsDone
            (loop $words
              (br_if $wordsDone (i32.gt_s (i32.add (local.get $end) (i32.const 4)) (local.get $extendLimit)))
              (br_if $wordsDone (i32.ne (i32.load (i32.add (local.get $src) (local.get $end))) (i32.load (i32.add (local.get $src) (local.get $from)))))
              (local.set $end (i32.add (local.get $end) (i32.const 4)))
              (local.set $from (i32.add (local.get $from) (i32.const 4)))
              (br $words)))
          (block $bytesDone
            (loop $bytes
              (br_if $bytesDone (i32.ge_s (local.get $end) (local.get $extendLimit)))
              (br_if $bytesDone (i32.ne (i32.load8_u (i32.add (local.get $src) (local.get $end))) (i32.load8_u (i32.add (local.get $src) (local.get $from)))))
              (local.set $end (i32.add (local.get $end) (i32.const 1)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (br $bytes)))
          (local.set $extra (i32.sub (i32.sub (local.get $end) (local.get $ip)) (i32.const 4)))
          (if (i32.ge_u (local.get $extra) (i32.const 15))
            (then
              (i32.store8 (local.get $token) (i32.or (i32.load8_u (local.get $token)) (i32.const 15)))
              (local.set $op (call $writeLength (local.get $op) (i32.sub (local.get $extra) (i32.const 15)))))
            (else (i32.store8 (local.get $token) (i32.or (i32.load8_u (local.get $token)) (local.get $extra)))))
          (local.set $ip (local.get $end))
          (local.set $anchor (local.get $ip))
          (br_if $outer (i32.gt_s (local.get $ip) (local.get $startLimit)))
          (i32.store
            (i32.add (local.get $table) (i32.shl (i32.shr_u (i32.mul (i32.load (i32.add (local.get $src) (i32.sub (local.get $ip) (i32.const 2)))) (i32.const 0x9E3779B1)) (i32.const 20)) (i32.const 2)))
            (i32.sub (local.get $ip) (i32.const 2)))
          (local.set $next (i32.load (i32.add (local.get $src) (local.get $ip))))
          (local.set $hashAt (i32.add (local.get $table) (i32.shl (i32.shr_u (i32.mul (local.get $next) (i32.const 0x9E3779B1)) (i32.const 20)) (i32.const 2))))
          (local.set $match (i32.load (local.get $hashAt)))
          (i32.store (local.get $hashAt) (local.get $ip))
          (if (i32.ge_s (local.get $match) (i32.const 0))
            (then
              (if (i32.le_s (i32.sub (local.get $ip) (local.get $match)) (i32.const 65535))
                (then
                  (if (i32.eq (i32.load (i32.add (local.get $src) (local.get $match))) (local.get $next))
                    (then
                      (local.set $token (local.get $op))
                      (i32.store8 (local.get $token) (i32.const 0))
                      (local.set $op (i32.add (local.get $op) (i32.const 1)))
                      (br $matches))))))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (local.set $forwardSequence (i32.load (i32.add (local.get $src) (local.get $ip))))
        (br $search)))
    (i32.sub (call $lastLiterals (local.get $src) (local.get $op) (local.get $anchor) (local.get $length)) (local.get $dst)))

  ;; The byte loops for elements [first, n) and the trailing bytes, either direction.
  ;; shuffled = 1: src is element order, dst byte-plane order; 0: the reverse.
  (func $byteLoop (param $src i32) (param $dst i32) (param $length i32) (param $typesize i32) (param $first i32) (param $shuffled i32)
    (local $n i32) (local $byte i32) (local $element i32) (local $plane i32) (local $interleaved i32) (local $tail i32)
    (local.set $n (i32.div_u (local.get $length) (local.get $typesize)))
    (block $bytesDone
      (loop $bytes
        (br_if $bytesDone (i32.ge_u (local.get $byte) (local.get $typesize)))
        (local.set $element (local.get $first))
        (block $elementsDone
          (loop $elements
            (br_if $elementsDone (i32.ge_u (local.get $element) (local.get $n)))
            (local.set $plane (i32.add (i32.mul (local.get $byte) (local.get $n)) (local.get $element)))
            (local.set $interleaved (i32.add (i32.mul (local.get $element) (local.get $typesize)) (local.get $byte)))
            (if (local.get $shuffled)
              (then (i32.store8 (i32.add (local.get $dst) (local.get $plane)) (i32.load8_u (i32.add (local.get $src) (local.get $interleaved)))))
              (else (i32.store8 (i32.add (local.get $dst) (local.get $interleaved)) (i32.load8_u (i32.add (local.get $src) (local.get $plane))))))
            (local.set $element (i32.add (local.get $element) (i32.const 1)))
            (br $elements)))
        (local.set $byte (i32.add (local.get $byte) (i32.const 1)))
        (br $bytes)))
    (local.set $tail (i32.mul (local.get $n) (local.get $typesize)))
    (memory.copy (i32.add (local.get $dst) (local.get $tail)) (i32.add (local.get $src) (local.get $tail)) (i32.sub (local.get $length) (local.get $tail))))

  ;; Element order → byte planes.
  (func (export "shuffle") (param $src i32) (param $dst i32) (param $length i32) (param $typesize i32)
    (local $n i32) (local $e i32) (local $in i32) (local $out i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $v4 v128) (local $v5 v128) (local $v6 v128) (local $v7 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128) (local $w6 v128) (local $w7 v128)
    (local.set $n (i32.div_u (local.get $length) (local.get $typesize)))
    (if (i32.eq (local.get $typesize) (i32.const 2))
      (then
        (loop $t2
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 1))))
              (local.set $out (i32.add (local.get $dst) (local.get $e)))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $v1 (v128.load offset=16 (local.get $in)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v0) (local.get $v1)))
              (v128.store (i32.add (local.get $out) (local.get $n)) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v0) (local.get $v1)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t2))))))
    (if (i32.eq (local.get $typesize) (i32.const 4))
      (then
        (loop $t4
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 2))))
              (local.set $out (i32.add (local.get $dst) (local.get $e)))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $v1 (v128.load offset=16 (local.get $in)))
              (local.set $v2 (v128.load offset=32 (local.get $in)))
              (local.set $v3 (v128.load offset=48 (local.get $in)))
              ;; even bytes (0, 2 of each element) and odd bytes (1, 3)
              (local.set $w0 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v0) (local.get $v1)))
              (local.set $w1 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v2) (local.get $v3)))
              (local.set $w2 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v0) (local.get $v1)))
              (local.set $w3 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v2) (local.get $v3)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w0) (local.get $w1)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w2) (local.get $w3)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w0) (local.get $w1)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w2) (local.get $w3)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t4))))))
    (if (i32.eq (local.get $typesize) (i32.const 8))
      (then
        (loop $t8
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 3))))
              (local.set $out (i32.add (local.get $dst) (local.get $e)))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $v1 (v128.load offset=16 (local.get $in)))
              (local.set $v2 (v128.load offset=32 (local.get $in)))
              (local.set $v3 (v128.load offset=48 (local.get $in)))
              (local.set $v4 (v128.load offset=64 (local.get $in)))
              (local.set $v5 (v128.load offset=80 (local.get $in)))
              (local.set $v6 (v128.load offset=96 (local.get $in)))
              (local.set $v7 (v128.load offset=112 (local.get $in)))
              ;; round 1: bytes 0 2 4 6 (w0..w3) and 1 3 5 7 (w4..w7), four elements per vector
              (local.set $w0 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v0) (local.get $v1)))
              (local.set $w1 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v2) (local.get $v3)))
              (local.set $w2 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v4) (local.get $v5)))
              (local.set $w3 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v6) (local.get $v7)))
              (local.set $w4 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v0) (local.get $v1)))
              (local.set $w5 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v2) (local.get $v3)))
              (local.set $w6 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v4) (local.get $v5)))
              (local.set $w7 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v6) (local.get $v7)))
              ;; round 2: bytes 0 4 (v0 v1), 2 6 (v2 v3), 1 5 (v4 v5), 3 7 (v6 v7), eight elements per vector
              (local.set $v0 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w0) (local.get $w1)))
              (local.set $v1 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w2) (local.get $w3)))
              (local.set $v2 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w0) (local.get $w1)))
              (local.set $v3 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w2) (local.get $w3)))
              (local.set $v4 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w4) (local.get $w5)))
              (local.set $v5 (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $w6) (local.get $w7)))
              (local.set $v6 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w4) (local.get $w5)))
              (local.set $v7 (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $w6) (local.get $w7)))
              ;; round 3: one byte plane per vector, sixteen elements
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v0) (local.get $v1)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v4) (local.get $v5)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v2) (local.get $v3)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $v6) (local.get $v7)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v0) (local.get $v1)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v4) (local.get $v5)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v2) (local.get $v3)))
              (local.set $out (i32.add (local.get $out) (local.get $n)))
              (v128.store (local.get $out) (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $v6) (local.get $v7)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t8))))))
    (call $byteLoop (local.get $src) (local.get $dst) (local.get $length) (local.get $typesize) (local.get $e) (i32.const 1)))

  ;; Byte planes → element order.
  (func (export "unshuffle") (param $src i32) (param $dst i32) (param $length i32) (param $typesize i32)
    (local $n i32) (local $e i32) (local $in i32) (local $out i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $v4 v128) (local $v5 v128) (local $v6 v128) (local $v7 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128) (local $w6 v128) (local $w7 v128)
    (local.set $n (i32.div_u (local.get $length) (local.get $typesize)))
    (if (i32.eq (local.get $typesize) (i32.const 2))
      (then
        (loop $t2
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (local.get $e)))
              (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $e) (i32.const 1))))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $v1 (v128.load (i32.add (local.get $in) (local.get $n))))
              (v128.store (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v0) (local.get $v1)))
              (v128.store offset=16 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v0) (local.get $v1)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t2))))))
    (if (i32.eq (local.get $typesize) (i32.const 4))
      (then
        (loop $t4
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (local.get $e)))
              (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $e) (i32.const 2))))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v1 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v2 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v3 (v128.load (local.get $in)))
              ;; planes 0 and 2 interleaved (w0: elements 0-7, w1: 8-15), planes 1 and 3 (w2, w3)
              (local.set $w0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v0) (local.get $v2)))
              (local.set $w1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v0) (local.get $v2)))
              (local.set $w2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v1) (local.get $v3)))
              (local.set $w3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v1) (local.get $v3)))
              (v128.store (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w0) (local.get $w2)))
              (v128.store offset=16 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w0) (local.get $w2)))
              (v128.store offset=32 (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w1) (local.get $w3)))
              (v128.store offset=48 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w1) (local.get $w3)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t4))))))
    (if (i32.eq (local.get $typesize) (i32.const 8))
      (then
        (loop $t8
          (if (i32.le_u (i32.add (local.get $e) (i32.const 16)) (local.get $n))
            (then
              (local.set $in (i32.add (local.get $src) (local.get $e)))
              (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $e) (i32.const 3))))
              (local.set $v0 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v1 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v2 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v3 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v4 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v5 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v6 (v128.load (local.get $in)))
              (local.set $in (i32.add (local.get $in) (local.get $n)))
              (local.set $v7 (v128.load (local.get $in)))
              ;; round 1: planes k and k+4 (w0..w3 elements 0-7, w4..w7 elements 8-15)
              (local.set $w0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v0) (local.get $v4)))
              (local.set $w1 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v1) (local.get $v5)))
              (local.set $w2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v2) (local.get $v6)))
              (local.set $w3 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v3) (local.get $v7)))
              (local.set $w4 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v0) (local.get $v4)))
              (local.set $w5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v1) (local.get $v5)))
              (local.set $w6 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v2) (local.get $v6)))
              (local.set $w7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v3) (local.get $v7)))
              ;; round 2: with k+2 (v0 v1: elements 0-3 and 4-7 of planes 0 2 4 6, v2 v3 the same of 1 3 5 7;
              ;; v4..v7 the same for elements 8-15)
              (local.set $v0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w0) (local.get $w2)))
              (local.set $v1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w0) (local.get $w2)))
              (local.set $v2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w1) (local.get $w3)))
              (local.set $v3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w1) (local.get $w3)))
              (local.set $v4 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w4) (local.get $w6)))
              (local.set $v5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w4) (local.get $w6)))
              (local.set $v6 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $w5) (local.get $w7)))
              (local.set $v7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $w5) (local.get $w7)))
              ;; round 3: with k+1, two whole elements per vector
              (v128.store offset=0 (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v0) (local.get $v2)))
              (v128.store offset=16 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v0) (local.get $v2)))
              (v128.store offset=32 (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v1) (local.get $v3)))
              (v128.store offset=48 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v1) (local.get $v3)))
              (v128.store offset=64 (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v4) (local.get $v6)))
              (v128.store offset=80 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v4) (local.get $v6)))
              (v128.store offset=96 (local.get $out) (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $v5) (local.get $v7)))
              (v128.store offset=112 (local.get $out) (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $v5) (local.get $v7)))
              (local.set $e (i32.add (local.get $e) (i32.const 16)))
              (br $t8))))))
    (call $byteLoop (local.get $src) (local.get $dst) (local.get $length) (local.get $typesize) (local.get $e) (i32.const 0)))
)
